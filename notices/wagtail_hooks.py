from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import path, reverse
from wagtail import hooks
from wagtail.documents.api.admin.views import DocumentsAdminAPIViewSet
from wagtail.documents.models import AbstractDocument

from accounts.admin_scope import StaffMenuItem
from core.media import file_response, local_path

from . import followup
from .selectors import documents_in_admin_for, may_download_document


@hooks.register("register_admin_urls")
def register_followup_urls():
    return [
        path("notices/", followup.notice_followup_list, name="notice_followup_list"),
        path(
            "notices/<int:notice_id>/",
            followup.notice_followup_detail,
            name="notice_followup_detail",
        ),
        path(
            "notices/<int:notice_id>/export/",
            followup.notice_followup_export,
            name="notice_followup_export",
        ),
        path(
            "notices/<int:notice_id>/conveyed/<int:retiree_id>/",
            followup.notice_conveyed,
            name="notice_conveyed",
        ),
    ]


@hooks.register("register_admin_menu_item")
def register_followup_menu_item():
    return StaffMenuItem(
        "通知送达情况", reverse("notice_followup_list"), icon_name="mail", order=240
    )


@hooks.register("before_serve_document")
def check_document_audience(
    document: AbstractDocument, request: HttpRequest
) -> HttpResponse | None:
    """/documents/<id>/<name>: a notice's attachment only for its audience (see
    may_download_document). Wagtail's view then sends the file through core.media."""
    if not may_download_document(request.user, document):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise Http404
    if local_path(document.file.name) is None:
        return file_response(request, document.file.name)  # a short-lived link to the bucket
    return None


class ScopedDocumentsAPIViewSet(DocumentsAdminAPIViewSet):
    """The admin's document API lists only what the user may see in the admin."""

    def get_queryset(self):
        visible = documents_in_admin_for(self.request.user).values("pk")
        return super().get_queryset().filter(pk__in=visible)


# After Wagtail's own registration of the endpoint (order 0), which this one replaces.
@hooks.register("construct_admin_api", order=1)
def scope_documents_admin_api(router) -> None:
    router.register_endpoint("documents", ScopedDocumentsAPIViewSet)
