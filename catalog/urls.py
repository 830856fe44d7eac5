"""URLs of the public catalog."""

from django.urls import path

from catalog import views

app_name = "catalog"

urlpatterns = [
    path("tracks/", views.track_list, name="track_list"),
    path("tracks/<slug:slug>/", views.track_detail, name="track"),
    path("skills/", views.skill_list, name="skill_list"),
    path("skills/<slug:slug>/", views.skill_detail, name="skill"),
    path("courses/", views.course_list, name="course_list"),
    path("courses/<slug:slug>/", views.course_detail, name="course"),
    path("certifications/", views.certification_list, name="certification_list"),
    path("certifications/<slug:slug>/", views.certification_detail, name="certification"),
    path("projects/", views.project_list, name="project_list"),
    path("projects/<slug:slug>/", views.project_detail, name="project"),
    path("careers/", views.careers, name="careers"),
]
