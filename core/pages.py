"""What every page of this site shares with Wagtail's Page: fewer queries to find and serve
it, and the headers by which a shared cache (nginx in the production topology, a CDN) may
keep a page that looks the same to every visitor without an account. In core because every
app with pages imports it and no domain owns it."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control
from wagtail.models import Page, PageViewRestriction

RESTRICTIONS_KEY = "pages:any-view-restriction"
# 长辈模式 before logging in: "1" in this cookie (accounts.context_processors).
ELDER_MODE_COOKIE = "elder_mode"


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


def seen_as_by_everyone(request: HttpRequest) -> bool:
    """Whether this request sees a page exactly as any visitor without an account does: no
    account, and none of the cookies that change a page (长辈模式, a session, messages
    waiting), read the way Django reads them. A page served to anyone else is never shared."""
    if request.user.is_authenticated:
        return False
    personal = (settings.SESSION_COOKIE_NAME, ELDER_MODE_COOKIE, CookieStorage.cookie_name)
    return not any(name in request.COOKIES for name in personal)


def allow_shared_caching(response: HttpResponse, seconds: int) -> None:
    """Let shared caches keep the response for `seconds`: Cache-Control's s-maxage for a CDN,
    X-Accel-Expires for nginx (which ignores s-maxage); browsers ask again every time, so a
    change of 长辈模式 shows at once. nginx never stores a response that sets a cookie."""
    patch_cache_control(response, public=True, max_age=0, s_maxage=seconds)
    response["X-Accel-Expires"] = str(seconds)


class SitePage(Page):
    """A page of this site. `related_on_route`: relations loaded with the page itself when a
    URL is routed to it (HomePage.route), instead of one query each later.
    `shared_cache_seconds`: how long a shared cache may keep the page as every visitor without
    an account sees it (0: never); publishing purges it sooner (wagtail.contrib.frontend_cache)."""

    related_on_route: tuple[str, ...] = ()
    shared_cache_seconds = 0

    class Meta:
        abstract = True

    def serve(self, request, *args, **kwargs):
        response = super().serve(request, *args, **kwargs)
        if (
            self.shared_cache_seconds
            and response.status_code == 200
            and seen_as_by_everyone(request)
        ):
            allow_shared_caching(response, self.shared_cache_seconds)
        return response

    def get_view_restrictions(self):
        # Wagtail asks for the page's and its ancestors' restrictions on every request (two
        # queries); this site gates by login and audience in code and sets none normally.
        if not view_restrictions_exist():
            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()


def live_page_at(url_path: str) -> Page | None:
    """The live page at url_path in its specific form, with its related_on_route loaded, in
    two queries whatever the depth (Wagtail's own walk asks once per path segment)."""
    found = Page.objects.live().filter(url_path=url_path).values_list("pk", "content_type").first()
    if found is None:
        return None
    pk, content_type = found
    model = ContentType.objects.get_for_id(content_type).model_class()
    related = getattr(model, "related_on_route", ())
    return model.objects.select_related(*related).filter(pk=pk).first()
