"""What every page of this site shares with Wagtail's Page, to serve it in fewer queries. In
accounts because every app with pages imports it and accounts sits below them all (like
accounts.spreadsheets and accounts.humanize)."""

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.http.request import split_domain_port
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

RESTRICTIONS_KEY = "pages:any-view-restriction"
# The response header by which a page tells home.page_cache it may serve the page to every
# visitor without an account (stripped before it leaves the server).
SAME_FOR_EVERY_VISITOR = "X-Same-For-Every-Visitor"


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
    # True where a visitor who has not logged in sees what every such visitor sees.
    same_for_every_visitor = False

    class Meta:
        abstract = True

    def serve(self, request, *args, **kwargs):
        response = super().serve(request, *args, **kwargs)
        if self.same_for_every_visitor and not request.user.is_authenticated:
            response[SAME_FOR_EVERY_VISITOR] = "1"
        return response

    def get_view_restrictions(self):
        # Wagtail asks for the page's and its ancestors' restrictions on every request (two
        # queries); this site gates by login and audience in code and sets none normally.
        if not view_restrictions_exist():
            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()


SITES_KEY = "pages:sites"
SITES_REMEMBERED = 20  # host:port pairs; a visitor can send any port in the Host header


def site_for_request(request) -> Site | None:
    """Wagtail's Site.find_for_request, from the cache: Wagtail asks the database for the
    site and then for its root page on every request. The root page is kept in its specific
    form, so routing starts from it without a query."""
    hostname, port = split_domain_port(request._get_raw_host())[0], request.get_port()
    sites = cache.get(SITES_KEY) or {}
    key = f"{hostname}:{port}"
    if key not in sites:
        site = Site._find_for_request(request)
        if site is not None:
            site.root_page = site.root_page.specific
        if len(sites) >= SITES_REMEMBERED:
            return site
        sites[key] = site
        cache.set(SITES_KEY, sites, None)
    return sites[key]


@receiver([post_save, post_delete])
def forget_sites(sender, instance=None, **kwargs) -> None:
    # Any site, or any page (it may be a site's root page, whose content the home page shows).
    if isinstance(instance, Site | Page):
        cache.delete(SITES_KEY)


@receiver([page_published, page_unpublished, post_page_move])
def forget_sites_on_publish(**kwargs) -> None:
    cache.delete(SITES_KEY)
