"""Test-only: the browser tests' Daphne process outlives each test's database flush, after
which content types and the site's root page come back with new ids. Production databases are
never flushed under a running process, so only this server forgets its caches per request."""

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from wagtail.models.sites import SITE_ROOT_PATHS_CACHE_KEY

from accounts.page_base import forget_sites, forget_view_restrictions
from courses.caching import forget_catalog


class ForgetCachedRowsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        ContentType.objects.clear_cache()
        cache.delete(SITE_ROOT_PATHS_CACHE_KEY)  # not cache.clear(): on Redis that flushes the db
        forget_catalog()  # the catalog's cache is tested in-process (tests/courses)
        forget_view_restrictions()  # and so is the "no page is restricted" flag
        forget_sites()  # and the sites and pages remembered (tests/test_page_routes.py)
        return self.get_response(request)
