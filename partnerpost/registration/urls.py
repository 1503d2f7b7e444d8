from django.urls import path

from . import views

app_name = "registration"
urlpatterns = [
    path("events/<slug:slug>/register/", views.register, name="register"),
    path("registrations/<str:token>/", views.manage, name="manage"),
    path("workspace/events/<int:pk>/registration/", views.edit_settings, name="settings"),
]
