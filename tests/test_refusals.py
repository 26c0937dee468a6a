"""One mapping from a service's Refused(code, message) to HTTP (core.refusals)."""

import pytest
from django.http import Http404, HttpResponse
from django.test import RequestFactory

from accounts.services import HelpRefused
from core.refusals import RefusalMiddleware, Refused


def through_middleware(refusal: Refused) -> HttpResponse:
    """What Django's handler does with an exception a view raised."""
    middleware = RefusalMiddleware(lambda request: HttpResponse())
    return middleware.process_exception(RequestFactory().get("/"), refusal)


@pytest.mark.django_db
def test_a_refusal_is_the_403_page_with_its_chinese_reason():
    response = through_middleware(HelpRefused("invalid", "不能自己代自己操作。"))
    assert response.status_code == 403
    assert "不能自己代自己操作。" in response.content.decode()


def test_not_found_is_the_404_page():
    with pytest.raises(Http404):
        through_middleware(Refused("not_found", "没有这个人。"))
