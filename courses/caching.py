"""The catalog's body, rendered once and shared by every visitor until something it shows
changes. Under Daphne a sync page view costs more than under WSGI; the catalog is the page
everyone opens. The key carries a version that any published, unpublished or moved page,
enrollment, category or term change bumps (courses/signals.py), and entries also expire
after a minute because 正在报名 and seats left follow the clock."""

import hashlib

from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import timezone, translation

VERSION_KEY = "catalog:version"
LIFETIME = 60


def catalog_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        version = timezone.now().timestamp()
        cache.add(VERSION_KEY, version, timeout=None)
        version = cache.get(VERSION_KEY, version)
    return version


def forget_catalog() -> None:
    """Every cached catalog body is stale from now on (new version; old keys expire)."""
    cache.set(VERSION_KEY, timezone.now().timestamp(), timeout=None)


def catalog_body(query: str, render_context) -> str:
    """query: the search and page, in a fixed form. render_context() builds the template
    context; it runs only on a miss."""
    digest = hashlib.sha256(query.encode()).hexdigest()[:16]
    key = f"catalog:{catalog_version()}:{translation.get_language()}:{digest}"
    html = cache.get(key)
    if html is None:
        html = render_to_string("courses/catalog_body.html", render_context(), request=None)
        cache.set(key, html, timeout=LIFETIME)
    return html
