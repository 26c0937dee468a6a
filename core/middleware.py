"""Security headers for the site's own pages."""

from django.conf import settings


class ContentSecurityPolicyMiddleware:
    """The site's own pages run only our own scripts (no inline script anywhere: see
    site/static/site/js/site.js) and load nothing from other hosts except where media is
    configured to live (S3, a streaming service). The Wagtail admin, which needs inline
    scripts, keeps its own rules."""

    SKIPPED_PREFIXES = ("/admin/",)

    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = content_security_policy()

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path.startswith(self.SKIPPED_PREFIXES):
            response.headers.setdefault("Content-Security-Policy", self.policy)
            response.headers.setdefault(
                "Permissions-Policy", "camera=(self), microphone=(self), geolocation=()"
            )
        return response


def content_security_policy() -> str:
    media = " ".join(settings.CSP_MEDIA_ORIGINS)
    frames = " ".join(settings.CSP_FRAME_ORIGINS)
    return "; ".join(
        [
            "default-src 'self'",
            " ".join(["script-src 'self'", *settings.CSP_SCRIPT_EXTRA]),
            "style-src 'self' 'unsafe-inline'",
            f"img-src 'self' data: blob: {media}".strip(),
            f"media-src 'self' blob: {media}".strip(),
            f"connect-src 'self' {media}".strip(),
            "worker-src 'self' blob:",
            "font-src 'self'",
            f"frame-src 'self' {frames}".strip(),
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )
