"""Signing in: the password step (with per-address throttling; django-axes locks an account after
repeated failures), the second step for people with two-factor sign-in, and the page where they set
it up. The rules live in twofactor.py; these views parse, call and render."""

from __future__ import annotations

import base64

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from . import twofactor
from .ratelimit import client_ip, hit


def _safe_next(request, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return fallback


class SignInView(auth_views.LoginView):
    template_name = "portal/login.html"

    def post(self, request, *args, **kwargs):
        verdict = hit(f"signin:{client_ip(request)}", settings.SIGNIN_RATE, 600)
        if not verdict.allowed:
            form = self.get_form()
            form.errors.clear()
            response = render(request, self.template_name, {
                **self.get_context_data(form=form),
                "throttled": _("Too many sign-in attempts from your network. Wait %(minutes)d minutes and try again.")
                % {"minutes": max(1, verdict.reset // 60)},
            }, status=429)
            response["Retry-After"] = str(verdict.reset)
            return response
        return super().post(request, *args, **kwargs)

    def get_success_url(self):
        target = super().get_success_url()
        user = self.request.user
        if twofactor.has_second_factor(user):
            return f"{reverse('two-factor-verify')}?next={target}"
        if twofactor.must_enrol(user):
            return f"{reverse('two-factor')}?next={target}"
        return target


@login_required
@require_http_methods(["GET", "POST"])
def verify(request):
    """The second step: a code from the authenticator app, or a backup code."""
    target = _safe_next(request, reverse(settings.LOGIN_REDIRECT_URL))
    if not twofactor.has_second_factor(request.user) or request.user.is_verified():
        return redirect(target)
    error, status = "", 200
    if request.method == "POST":
        verdict = hit(f"2fa:{request.user.pk}", 10, 600)
        if not verdict.allowed:
            error, status = _("Too many codes tried. Wait %(minutes)d minutes and try again.") % {
                "minutes": max(1, verdict.reset // 60)}, 429
        else:
            try:
                twofactor.verify(request, request.POST.get("code", ""))
            except twofactor.TwoFactorError as exc:
                error, status = str(exc), 400
            else:
                return redirect(target)
    return render(request, "network/verify.html", {"error": error, "next": target}, status=status)


def _qr(device) -> str:
    return segno.make(device.config_url, error="m").svg_inline(scale=4, dark="#0b2545", title=_("QR code"))


@login_required
@require_http_methods(["GET", "POST"])
def two_factor(request):
    """Set up, renew or turn off two-factor sign-in for oneself."""
    user = request.user
    target = _safe_next(request, reverse(settings.LOGIN_REDIRECT_URL))
    enabled = twofactor.has_second_factor(user)
    if enabled and not user.is_verified():
        return redirect(f"{reverse('two-factor-verify')}?next={request.get_full_path()}")
    context = {"enabled": enabled, "required": twofactor.must_enrol(user), "next": target, "error": "", "codes": None}
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "confirm" and not enabled:
                context["codes"] = twofactor.confirm_totp(user, request.POST.get("code", ""))
                twofactor.verify_device_login(request)
                context["enabled"] = True
                messages.success(request, _("Two-factor sign-in is on. Keep the backup codes somewhere safe."))
            elif action == "backup" and enabled:
                context["codes"] = twofactor.new_backup_codes(user)
                messages.success(request, _("New backup codes made; the old ones no longer work."))
            elif action == "remove" and enabled:
                twofactor.remove_two_factor(user)
                messages.success(request, _("Two-factor sign-in is off."))
                return redirect("two-factor")
            else:
                return redirect("two-factor")
        except twofactor.TwoFactorError as exc:
            context["error"], status = str(exc), 400
    if not context["enabled"]:
        device = twofactor.pending_device(user)
        context["qr"] = _qr(device)
        key = base64.b32encode(device.bin_key).decode().rstrip("=")
        context["secret"] = " ".join(key[i:i + 4] for i in range(0, len(key), 4))
    return render(request, "network/two_factor.html", context, status=status)


def locked(request, original_response=None, credentials=None):
    """What a locked account's sign-in shows (django-axes calls this; see AXES_LOCKOUT_CALLABLE)."""
    minutes = max(1, int(settings.AXES_COOLOFF_TIME.total_seconds() // 60))
    return render(request, "network/locked.html",
                  {"failure_limit": settings.AXES_FAILURE_LIMIT, "minutes": minutes}, status=429)
