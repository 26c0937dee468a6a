"""What every page of this site shares with Wagtail's Page, to serve it in fewer queries. In
accounts because every app with pages imports it and accounts sits below them all (like
accounts.spreadsheets and accounts.humanize)."""

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.models import Page, PageViewRestriction

RESTRICTIONS_KEY = "pages:any-view-restriction"


def view_restrictions_exist() -> bool:
    """Whether any page has a Wagtail view restriction (privacy setting) at all; remembered in
    the cache until one is saved or deleted."""
    known = cache.get(RESTRICTIONS_KEY)
    if known is None:
        known = PageViewRestriction.objects.exists()
        cache.set(RESTRICTIONS_KEY, known, None)
    return known


@receiver([post_save, post_delete], sender=PageViewRestriction)
def forget_view_restrictions(**kwargs) -> None:
    cache.delete(RESTRICTIONS_KEY)


class SitePage(Page):
    """A page of this site. `related_on_route`: relations loaded with the page itself when a
    URL is routed to it (HomePage.route), instead of one query each later."""

    related_on_route: tuple[str, ...] = ()

    class Meta:
        abstract = True

    def get_view_restrictions(self):
        # Wagtail asks for the page's and its ancestors' restrictions on every request (two
        # queries); this site gates by login and audience in code and sets none normally.
        if not view_restrictions_exist():
            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()
