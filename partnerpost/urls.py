from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from partnerpost.editions.urls import compose_patterns
from partnerpost.mailing.urls import sending_patterns

urlpatterns = [
    path("", include("partnerpost.portal.urls")),
    path("", include("partnerpost.audience.urls")),
    path("", include("partnerpost.discovery.urls")),
    path("api/", include("partnerpost.api.urls")),
    path("workspace/imports/", include("partnerpost.importer.urls")),
    path("workspace/tokens/", include("partnerpost.api.workspace_urls")),
    path("workspace/editions/", include(sending_patterns)),
    path("workspace/editions/", include(compose_patterns)),
    path("workspace/", include("partnerpost.content.urls")),
    path("editions/", include("partnerpost.editions.urls")),
    path("outbox/", include("partnerpost.mailing.urls")),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(template_name="portal/login.html"),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
