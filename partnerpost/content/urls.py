from django.urls import path

from . import views

app_name = "workspace"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("review/", views.review_queue, name="review"),
    path("items/new/", views.item_create, name="create"),
    path("items/<int:pk>/", views.item_workspace, name="item"),
    path("items/<int:pk>/edit/", views.item_edit, name="edit"),
    path("items/<int:pk>/<str:action>/", views.item_transition, name="transition"),
]
