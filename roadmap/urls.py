"""URLs of the catalog, plans and progress."""

from django.urls import path

from roadmap.views import catalog

app_name = "roadmap"

urlpatterns: list = [
    path("tracks/<slug:slug>/", catalog.track_detail, name="track"),
    path("skills/<slug:slug>/", catalog.skill_detail, name="skill"),
]
