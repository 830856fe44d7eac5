"""URLs of the catalog, plans and progress."""

from django.urls import path

from roadmap import views

app_name = "roadmap"

urlpatterns: list = [
    path("tracks/<slug:slug>/", views.track_detail, name="track"),
    path("skills/<slug:slug>/", views.skill_detail, name="skill"),
]
