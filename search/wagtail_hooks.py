from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Synonym


class SynonymViewSet(SnippetViewSet):
    model = Synonym
    icon = "search"
    menu_label = "搜索同义词"
    add_to_admin_menu = True
    list_display = ["word", "alternatives"]
    search_fields = ["word", "alternatives"]


register_snippet(SynonymViewSet)
