from django.conf import settings
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from accounts.push_views import service_worker
from core.media import serve_media

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("accounts/", include("accounts.urls")),
    # 手机提醒's service worker, from the root so that its scope is the whole site.
    path("sw.js", service_worker, name="service_worker"),
    path("enrollment/", include("courses.urls")),
    path("notice-receipts/", include("notices.urls")),
    path("live/", include("live.urls")),
    path("circles/", include("circles.urls")),
    path("search/", include("search.urls")),
    path("", include("home.urls")),
]

if settings.STORAGES["default"]["BACKEND"].endswith("FileSystemStorage"):
    # The embedded default keeps uploads under media/ and serves them itself; with S3 the
    # browser fetches them from the bucket or its CDN.
    urlpatterns += [
        re_path(r"^media/(?P<path>.*)$", serve_media),
    ]

urlpatterns += [path("", include(wagtail_urls))]

handler500 = "core.errors.server_error"
