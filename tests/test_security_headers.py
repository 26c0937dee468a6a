"""Security headers on the site's pages: a Content-Security-Policy that runs only our own
scripts (no 'unsafe-inline' for scripts), no framing, camera and microphone for this site only."""

import re

from django.test import override_settings

from core.middleware import content_security_policy


def directive(policy: str, name: str) -> str:
    return re.search(rf"(?:^|; ){name} ([^;]*)", policy).group(1)


def test_pages_carry_the_policy(demo_people, client):
    response = client.get("/accounts/login/")
    policy = response["Content-Security-Policy"]
    assert directive(policy, "script-src") == "'self'"
    assert "unsafe-inline" not in directive(policy, "script-src")
    assert "unsafe-eval" not in policy
    assert directive(policy, "frame-ancestors") == "'none'"
    assert directive(policy, "object-src") == "'none'"
    assert response["Permissions-Policy"].startswith("camera=(self), microphone=(self)")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"


def test_no_page_template_has_an_inline_script():
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    templates = [
        path
        for folder in ("site", "accounts", "courses", "notices", "live", "home", "staff")
        for path in (root / folder).rglob("*.html")
        if "/admin/" not in str(path)
    ]
    inline = [
        str(p) for p in templates if re.search(r"<script(?![^>]*\bsrc=)[^>]*>", p.read_text())
    ]
    assert templates and not inline, inline


@override_settings(CSP_MEDIA_ORIGINS=["https://media.example.cn"])
def test_configured_media_hosts_are_allowed_for_media_only():
    policy = content_security_policy()
    assert "https://media.example.cn" in directive(policy, "media-src")
    assert "https://media.example.cn" not in directive(policy, "script-src")
