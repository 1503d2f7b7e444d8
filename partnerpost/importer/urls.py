from django.urls import path

from . import views

app_name = "importer"
urlpatterns = [
    path("", views.imports, name="imports"),
    path("<int:pk>/", views.review, name="review"),
    path("jobs/<int:pk>/", views.job, name="job"),
    path("<int:pk>/accept-all/", views.accept_all, name="accept_all"),
    path("candidates/<int:pk>/", views.decide, name="decide"),
]
