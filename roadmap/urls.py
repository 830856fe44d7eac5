"""URLs of the catalog, plans and progress."""

from django.urls import path

from roadmap.views import catalog, step, visuals
from roadmap.views import plan as plan_views
from roadmap.views import reminders as reminder_views

app_name = "roadmap"

urlpatterns: list = [
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
    path("settings/reminders/", reminder_views.reminder_settings, name="reminder_settings"),
    path("reminders/unsubscribe/<str:token>/", reminder_views.unsubscribe, name="reminders_unsubscribe"),
    # The plan: these come before "plan/<kind>/<slug>/" so that "stages" is never taken for a kind.
    path("plan/", plan_views.plan_page, name="plan"),
    path("plan/stages/<int:index>/", plan_views.plan_stage, name="plan_stage"),
    path("plan/readiness/", plan_views.plan_readiness, name="plan_readiness"),
    path("plan/<str:kind>/<slug:slug>/status/", plan_views.step_status, name="step_status"),
    # The learner's visuals and a step's own page (notes, evidence, deliverables, history).
    path("plan/map/", visuals.roadmap_map, name="map"),
    path("plan/activity/", visuals.activity, name="activity"),
    path("plan/<str:kind>/<slug:slug>/", step.step_page, name="step"),
    path("plan/<str:kind>/<slug:slug>/notes/", step.step_notes, name="step_notes"),
    path("plan/<str:kind>/<slug:slug>/evidence/", step.step_evidence_add, name="step_evidence_add"),
    path(
        "plan/<str:kind>/<slug:slug>/evidence/<int:pk>/remove/",
        step.step_evidence_remove,
        name="step_evidence_remove",
    ),
    path(
        "plan/<str:kind>/<slug:slug>/deliverables/<int:pk>/", step.step_deliverable, name="step_deliverable"
    ),
]
