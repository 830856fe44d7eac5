"""URLs of the learner's goals, plan and progress."""

from django.urls import path

from roadmap.views import onboarding, step, visuals
from roadmap.views import plan as plan_views

app_name = "roadmap"

urlpatterns: list = [
    # The learner's goals and pace; their paths predate the roadmap app.
    path("accounts/onboarding/", onboarding.onboarding, name="onboarding"),
    path("accounts/settings/", onboarding.settings_page, name="settings"),
    # The plan: these come before "plan/<kind>/<slug>/" so that "stages" is never taken for a kind.
    path("plan/", plan_views.plan_page, name="plan"),
    path("plan/stages/<int:index>/", plan_views.plan_stage, name="plan_stage"),
    path("plan/readiness/", plan_views.plan_readiness, name="plan_readiness"),
    path("plan/<str:kind>/<slug:slug>/status/", plan_views.step_status, name="step_status"),
    # The learner's visuals and a step's own page (notes, evidence, deliverables, history).
    path("plan/map/", visuals.roadmap_map, name="map"),
    path("plan/activity/", visuals.activity, name="activity"),
    path("plan/activity/goal/", visuals.weekly_goal, name="weekly_goal"),
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
