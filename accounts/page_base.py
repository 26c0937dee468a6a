"""What every page of this site shares with Wagtail's Page, to serve it in fewer queries. In
accounts because every app with pages imports it and accounts sits below them all (like
accounts.spreadsheets and accounts.humanize)."""

import copy
import functools
import uuid
from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.http.request import split_domain_port
from wagtail.blocks import Block, ChooserBlock
from wagtail.fields import StreamField
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


SITES_KEY = "pages:known-sites"
SITES_REMEMBERED = 20  # host:port pairs; a visitor can send any port in the Host header


@dataclass
class KnownSites:
    """What the cache keeps under SITES_KEY: each host's site, and a name for this state of
    the page tree, new whenever any page or site changes (pages are remembered under it)."""

    generation: str = field(default_factory=lambda: uuid.uuid4().hex)
    sites: dict[str, Site | None] = field(default_factory=dict)


def find_site(request) -> tuple[Site | None, str]:
    """Wagtail's Site.find_for_request, from the cache: Wagtail asks the database for the
    site and then for its root page on every request. The root page is kept in its specific
    form, so routing starts from it without a query. → (site, the pages' generation)."""
    hostname, port = split_domain_port(request._get_raw_host())[0], request.get_port()
    known = cache.get(SITES_KEY) or KnownSites()
    key = f"{hostname}:{port}"
    if key not in known.sites:
        site = Site._find_for_request(request)
        if site is not None:
            site.root_page = site.root_page.specific
        if len(known.sites) >= SITES_REMEMBERED:
            return site, known.generation
        known.sites[key] = site
        cache.set(SITES_KEY, known, None)
    return known.sites[key], known.generation


PAGES_REMEMBERED = 5_000
# generation -> url_path -> the live page there, as routing loaded it, in this process.
remembered: dict[str, dict[str, Page]] = {}


def live_page_at(url_path: str, generation: str | None) -> Page | None:
    """The live page at url_path in its specific form, with its related_on_route loaded;
    remembered while the pages' generation lasts (without one, always from the database).
    Every caller gets a copy of its own to serve."""
    pages = remembered.get(generation) if generation else None
    page = pages.get(url_path) if pages is not None else None
    if page is None:
        page = load_live_page(url_path)
        if page is None:
            return None
        if generation:
            if pages is None or len(pages) >= PAGES_REMEMBERED:
                remembered.clear()  # other generations are over
                pages = remembered.setdefault(generation, {})
            pages[url_path] = page
    return copy.copy(page)


def load_live_page(url_path: str) -> Page | None:
    found = Page.objects.live().filter(url_path=url_path).values_list("pk", "content_type").first()
    if found is None:
        return None
    pk, content_type = found
    model = ContentType.objects.get_for_id(content_type).model_class()
    related = getattr(model, "related_on_route", ())
    return model.objects.select_related(*related).filter(pk=pk).first()


@functools.cache
def models_loaded_with_pages() -> tuple[type, ...]:
    """Site, Page, every model a page loads with itself (related_on_route), and every model
    chosen in a page's StreamField (a remembered page keeps what its blocks loaded, such as a
    lesson's video): a change to any of them starts a new generation of pages."""
    found: set[type] = {Site, Page}
    for model in apps.get_models():
        if issubclass(model, SitePage):
            found |= {model._meta.get_field(name).related_model for name in model.related_on_route}
            for field in model._meta.get_fields():
                if isinstance(field, StreamField):
                    found |= chosen_models(field.stream_block)
    return tuple(found)


def chosen_models(block: Block) -> set[type]:
    found = set()
    if isinstance(block, ChooserBlock):
        model = block.target_model  # a model, or "app_label.Model" for some choosers
        found.add(apps.get_model(model) if isinstance(model, str) else model)
    children = [*getattr(block, "child_blocks", {}).values(), getattr(block, "child_block", None)]
    for child in children:
        if child is not None:
            found |= chosen_models(child)
    return found


def forget_sites() -> None:
    """A new generation of pages, now and again once the change is committed, so that no
    request reading the database before the commit keeps what it saw."""
    cache.delete(SITES_KEY)
    transaction.on_commit(lambda: cache.delete(SITES_KEY))


@receiver([post_save, post_delete])
def something_pages_show_changed(sender, instance=None, **kwargs) -> None:
    # Any site, any page (it may be a site's root page, whose content the home page shows),
    # or anything a page is loaded with.
    if isinstance(instance, models_loaded_with_pages()):
        forget_sites()


@receiver([page_published, page_unpublished, post_page_move])
def page_published_or_moved(**kwargs) -> None:
    forget_sites()
