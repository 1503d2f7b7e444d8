from django.urls import path

from . import views

app_name = "editions"
urlpatterns = [
    path("", views.archive, name="archive"),
    path("<slug:slug>/", views.detail, name="detail"),
    path("<slug:slug>/newsletter.pdf", views.download, {"fmt": "pdf"}, name="pdf"),
    path("<slug:slug>/newsletter.md", views.download, {"fmt": "md"}, name="md"),
    path("<slug:slug>/newsletter.txt", views.download, {"fmt": "text"}, name="text"),
    path("<slug:slug>/email/", views.download, {"fmt": "email"}, name="email"),
]

compose_patterns = ([
    path("", views.manage, name="list"),
    path("<int:pk>/", views.compose, name="edition"),
    path("<int:pk>/settings/", views.settings_view, name="settings"),
    path("<int:pk>/preview/", views.preview, name="preview"),
    path("<int:pk>/render/<str:fmt>/", views.rendering, name="render"),
    path("<int:pk>/reorder/", views.reorder, name="reorder"),
    path("<int:pk>/<str:verb>/", views.action, name="action"),
], "compose")
