from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from partnerpost.calls.review_urls import reviewer_patterns as call_review_patterns
from partnerpost.calls.urls import manage_patterns as call_manage_patterns
from partnerpost.discovery.urls import root_patterns
from partnerpost.editions.urls import compose_patterns
from partnerpost.mailing.urls import registrant_patterns, sending_patterns
from partnerpost.network import signin
from partnerpost.portal.media import serve_media
from partnerpost.registration.urls import certificate_patterns

# Pages come in every interface language: English at the unprefixed addresses (so every address
# published so far keeps working), the others under /fr/, /es/, /ar/, /zh-hans/ and /ru/. The API,
# the back office, uploaded files, robots.txt and the sitemap have one address each.
urlpatterns = [
    path("api/", include("partnerpost.api.urls")),
    # health, readiness and Prometheus metrics (docs/operations.md)
    path("", include("partnerpost.ops.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    # Uploads, in development and production alike: checked, typed by content, never run as the site.
    path("media/<path:path>", serve_media, name="media"),
    # A certificate's verification address is printed on it: one address, in no language prefix.
    *certificate_patterns,
    *root_patterns,
]
urlpatterns += i18n_patterns(
    path("", include("partnerpost.portal.urls")),
    path("", include("partnerpost.audience.urls")),
    path("", include("partnerpost.discovery.urls")),
    path("", include("partnerpost.registration.urls")),
    path("calls/review/", include(call_review_patterns)),
    path("calls/", include("partnerpost.calls.urls")),
    path("workspace/calls/", include(call_manage_patterns)),
    path("workspace/imports/", include("partnerpost.importer.urls")),
    path("workspace/feeds/", include("partnerpost.importer.feed_urls")),
    path("workspace/tokens/", include("partnerpost.api.workspace_urls")),
    path("workspace/events/", include(registrant_patterns)),
    path("workspace/editions/", include(sending_patterns)),
    path("workspace/editions/", include(compose_patterns)),
    path("workspace/", include("partnerpost.content.urls")),
    path("editions/", include("partnerpost.editions.urls")),
    path("outbox/", include("partnerpost.mailing.urls")),
    path("accounts/login/", signin.SignInView.as_view(), name="login"),
    path("accounts/verify/", signin.verify, name="two-factor-verify"),
    path("accounts/two-factor/", signin.two_factor, name="two-factor"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    prefix_default_language=False,
)
