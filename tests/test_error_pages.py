"""Errors speak Chinese and keep the elder-friendly face, never Django's English pages."""

from django.test import Client


def test_missing_page_is_a_friendly_chinese_404(demo_people, client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "没有找到这个页面" in html and '<html lang="zh-CN"' in html


def test_stale_form_gets_a_plain_chinese_csrf_page(demo_people):
    strict = Client(enforce_csrf_checks=True)
    response = strict.post("/accounts/elder-mode/", {"enabled": "1"})
    assert response.status_code == 403
    assert "请再提交一次" in response.content.decode()
