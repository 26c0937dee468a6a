"""A notice's attachments go to the people it is addressed to and the staff who follow it up,
through Wagtail's document view; the admin's document API lists only what a user may see."""

import pytest
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model
from wagtail.models import Collection

from notices.models import NoticeAttachment
from notices.services import attachments_collection

pytestmark = pytest.mark.django_db

PDF = "%PDF-1.4 医疗费报销名单".encode()
# The cast (tests/people.py): 13500000001 of 测试一所, 13500000012 of its station, 13500000007
# of 测试二所; staff_first, staff_second and staff_center (the 中心 above both); an instructor.
ALLOWED = ("13500000001", "13500000012", "staff_first", "staff_center", "site_admin")
REFUSED = ("13500000007", "staff_second", "teacher_huang")


@pytest.fixture
def attachment(publish, settings, tmp_path):
    """A PDF attached to a notice of 测试一所, addressed to its retirees (and its station's)."""
    settings.MEDIA_ROOT = tmp_path
    notice = publish("first", "医疗费报销")
    document = get_document_model().objects.create(
        title="医疗费报销名单",
        file=ContentFile(PDF, name="名单.pdf"),
        collection=attachments_collection(notice.institution),
    )
    NoticeAttachment.objects.create(page=notice, document=document)
    return document


def test_an_attachment_goes_to_the_notice_audience_only(attachment, client_as, client):
    url = attachment.url
    assert url.startswith("/documents/")
    assert client.get(f"/media/{attachment.file.name}").status_code == 404
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    for login in ALLOWED:
        answer = client_as(login).get(url)
        assert answer.status_code == 200, login
        assert b"".join(answer.streaming_content) == PDF
    for login in REFUSED:
        assert client_as(login).get(url).status_code == 404, login


def test_a_document_on_no_notice_is_for_admin_users_of_its_collection(places, client_as):
    document = get_document_model().objects.create(
        title="教案草稿",
        file=ContentFile(b"draft", name="draft.txt"),
        collection=Collection.get_first_root_node(),
    )
    assert client_as("site_admin").get(document.url).status_code == 200
    assert client_as("13500000001").get(document.url).status_code == 404


def test_the_admin_document_api_lists_only_what_the_user_may_see(attachment, client_as):
    def titles(login: str) -> list[str]:
        answer = client_as(login).get("/admin/api/main/documents/")
        assert answer.status_code == 200
        return [item["title"] for item in answer.json()["items"]]

    assert "医疗费报销名单" in titles("staff_first")
    assert "医疗费报销名单" in titles("site_admin")
    assert "医疗费报销名单" not in titles("staff_second")
    assert "医疗费报销名单" not in titles("teacher_huang")
    detail = f"/admin/api/main/documents/{attachment.pk}/"
    assert client_as("teacher_huang").get(detail).status_code == 404


def test_behind_nginx_an_attachment_is_an_x_accel_redirect(attachment, client_as, client, settings):
    settings.MEDIA_X_ACCEL_PREFIX = "/protected-media/"
    reader = client_as("13500000001").get(attachment.url)
    assert reader.status_code == 200
    assert reader["X-Accel-Redirect"] == "/protected-media/documents/%E5%90%8D%E5%8D%95.pdf"
    assert reader["Content-Type"] == "application/pdf"
    assert "%E5%90%8D%E5%8D%95.pdf" in reader["Content-Disposition"]
    for refused in (client_as("13500000007").get(attachment.url), client.get(attachment.url)):
        assert refused.status_code in (302, 404) and "X-Accel-Redirect" not in refused
