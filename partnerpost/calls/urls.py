from django.urls import path

from . import catalogue_views, review_urls, views

app_name = "calls"
urlpatterns = [
    path("", views.call_list, name="list"),
    path("<slug:slug>/", views.call_detail, name="detail"),
    path("<slug:slug>/link/<str:token>/", views.resume, name="resume"),
    path("<slug:slug>/answer/", views.answer, name="answer"),
    path("<slug:slug>/answer/eligibility/", views.eligibility, name="eligibility"),
    path("<slug:slug>/answer/step-<int:step>/", views.step, name="step"),
    path("<slug:slug>/answer/review/", views.review, name="review"),
    path("<slug:slug>/answer/sent/", views.mine, name="mine"),
    path("<slug:slug>/catalogue/", catalogue_views.catalogue, name="catalogue"),
    path("<slug:slug>/catalogue/entries.csv", catalogue_views.export_csv, name="catalogue_csv"),
    path("<slug:slug>/catalogue/entries.json", catalogue_views.export_json, name="catalogue_json"),
    path("<slug:slug>/catalogue/catalogue.pdf", catalogue_views.export_pdf, name="catalogue_pdf"),
    path("<slug:slug>/catalogue/<int:pk>/", catalogue_views.entry, name="entry"),
]

manage_patterns = ([
    path("", views.manage_list, name="list"),
    path("<slug:slug>/form/", views.define, name="define"),
    path("<slug:slug>/queue/", views.queue, name="queue"),
    path("<slug:slug>/submissions/<int:pk>/", views.moderate, name="moderate"),
    path("<slug:slug>/submissions/<int:pk>/files/<slug:field>/", views.attachment, name="attachment"),
    *review_urls.manage_patterns,
], "calls_manage")
