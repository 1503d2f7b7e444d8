from django.urls import path

from . import views

app_name = "mailing"
urlpatterns = [
    path("", views.outbox, name="outbox"),
    path("<int:pk>/", views.outbox_message, name="outbox_message"),
]

#: Under workspace/editions/, beside the composer's own pages: the sending desk of an edition.
sending_patterns = ([
    path("<int:pk>/sending/test/", views.send_test_view, name="test"),
    path("<int:pk>/sending/confirm/", views.confirm, name="confirm"),
    path("<int:pk>/sending/progress/", views.progress_fragment, name="progress"),
    path("<int:pk>/sending/report/", views.report, name="report"),
    path("<int:pk>/sending/report.csv", views.report_csv, name="report_csv"),
    path("<int:pk>/sending/<str:verb>/", views.sending_action, name="action"),
], "sending")

#: Under workspace/events/: an event organizer's messages to its registrants, sent by the mailing worker.
#: (Here and not in registration: registration is a layer below mailing and cannot call it.)
registrant_patterns = ([
    path("<int:pk>/registrations/messages/", views.registrant_messages, name="messages"),
], "registrant_messages")
