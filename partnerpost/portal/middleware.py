"""A strict Content-Security-Policy: no inline scripts or styles anywhere on the site."""

from urllib.parse import urlsplit

from django.conf import settings

POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data: https:",
        "font-src 'self'",
        "connect-src 'self'",
        "frame-ancestors 'none'",
        "form-action 'self'",
        "base-uri 'self'",
        "object-src 'none'",
    ]
)


def policy() -> str:
    """POLICY, with SITE_URL's origin among the image sources: an edition names its pictures by their absolute
    address under SITE_URL, which in development is plain http and may be another name for this host
    (http://127.0.0.1:8080 read as http://localhost:8080)."""
    parts = urlsplit(settings.SITE_URL)
    if parts.scheme != "http" or not parts.netloc:
        return POLICY
    return POLICY.replace("img-src 'self' data: https:", f"img-src 'self' data: https: http://{parts.netloc}")


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path.startswith("/admin/"):
            response.headers.setdefault("Content-Security-Policy", policy())
        return response
