"""Keeps the workspace, the outbox and the back office behind the second factor.

A signed-in person who has two-factor sign-in but has not given a code in this session, or a
secretariat editor who must have it (REQUIRE_EDITOR_2FA) but has not set it up, is sent to the
code page or the set-up page before any of these areas. Public pages stay open to them."""

from __future__ import annotations

from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import get_language_from_path

from . import twofactor

PROTECTED = ("/workspace/", "/outbox/", "/admin/")


def _unprefixed(path: str) -> str:
    """The path without its interface-language prefix (/fr/workspace/ -> /workspace/)."""
    language = get_language_from_path(path)
    return path[len(language) + 1:] if language and path.startswith(f"/{language}/") else path


class SecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and _unprefixed(request.path_info).startswith(PROTECTED):
            if not user.is_verified():
                if twofactor.has_second_factor(user):
                    return redirect(f"{reverse('two-factor-verify')}?{urlencode({'next': request.get_full_path()})}")
                if twofactor.must_enrol(user):
                    return redirect(f"{reverse('two-factor')}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)
