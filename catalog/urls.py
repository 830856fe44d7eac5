"""URLs of the public catalog."""

from django.urls import path

from roadmap.views import catalog

app_name = "catalog"

urlpatterns = [
    path("tracks/", catalog.track_list, name="track_list"),
    path("tracks/<slug:slug>/", catalog.track_detail, name="track"),
    path("skills/", catalog.skill_list, name="skill_list"),
    path("skills/<slug:slug>/", catalog.skill_detail, name="skill"),
    path("courses/", catalog.course_list, name="course_list"),
    path("courses/<slug:slug>/", catalog.course_detail, name="course"),
    path("certifications/", catalog.certification_list, name="certification_list"),
    path("certifications/<slug:slug>/", catalog.certification_detail, name="certification"),
    path("projects/", catalog.project_list, name="project_list"),
    path("projects/<slug:slug>/", catalog.project_detail, name="project"),
]
