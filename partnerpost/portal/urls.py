from django.urls import path

from . import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("welcome/", views.after_sign_in, name="after_sign_in"),
    path("items/", views.archive, name="archive"),
    path("items/<slug:slug>/", views.item_detail, name="item"),
    path("events/", views.events, name="events"),
    path("events/past/", views.events, {"past": True}, name="past_events"),
    path("events/calendar/", views.calendar_month, name="calendar_month"),
    path("partners/", views.partners, name="partners"),
    path("partners/<slug:slug>/", views.partner_detail, name="partner"),
]
