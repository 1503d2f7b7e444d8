from django.urls import path

from . import views

app_name = "mailing"
urlpatterns = [
    path("", views.outbox, name="outbox"),
    path("<int:pk>/", views.outbox_message, name="outbox_message"),
]

#: Under workspace/editions/, beside the composer's own pages.
sending_patterns = ([
    path("<int:pk>/sending/<str:verb>/", views.sending_action, name="action"),
], "sending")
