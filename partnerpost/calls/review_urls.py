from django.urls import path

from . import review_views

reviewer_patterns = ([
    path("", review_views.my_reviews, name="mine"),
    path("<int:pk>/", review_views.assignment, name="assignment"),
    path("invitation/<str:token>/", review_views.invitation, name="invitation"),
], "calls_review")

manage_patterns = [
    path("<slug:slug>/review/", review_views.manage, name="review"),
]
