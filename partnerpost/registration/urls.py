from django.urls import path, re_path

from . import views

app_name = "registration"
urlpatterns = [
    path("events/<slug:slug>/register/", views.register, name="register"),
    path("registrations/<str:token>/", views.manage, name="manage"),
    path("registrations/<str:token>/invoice.pdf", views.invoice_for_registrant, name="registrant-invoice"),
    path("workspace/events/<int:pk>/registration/", views.edit_settings, name="settings"),
    path("workspace/events/<int:pk>/registrations/", views.desk, name="desk"),
    re_path(r"^workspace/events/(?P<pk>[0-9]+)/registrations/export\.(?P<fmt>csv|xlsx)$", views.export, name="export"),
    path("workspace/events/<int:pk>/registrations/payments/", views.payments_upload, name="payments"),
    path("workspace/events/<int:pk>/attendance/", views.attendance, name="attendance"),
    path("workspace/checkin/<str:token>/", views.checkin, name="checkin"),
    path("workspace/events/<int:pk>/invoices/<str:number>.pdf", views.invoice_for_organizer, name="invoice"),
    path("workspace/events/<int:pk>/invoices/<str:number>/paid/", views.mark_paid, name="mark-paid"),
    path("workspace/events/<int:pk>/registrations/<int:registration_id>/<str:action>/", views.change, name="change"),
]

#: Outside the app's namespace: the address printed on every certificate.
certificate_patterns = [
    path("certificates/<str:code>/", views.certificate_check, name="certificate"),
    path("certificates/<str:code>/certificate.pdf", views.certificate_download, name="certificate-pdf"),
]
