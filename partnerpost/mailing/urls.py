from django.urls import path

from . import views

app_name = "mailing"
urlpatterns = [
    path("", views.outbox, name="outbox"),
    path("<int:pk>/", views.outbox_message, name="outbox_message"),
]
