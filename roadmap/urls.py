"""URLs of the learner's goals, plan and progress."""

from django.urls import include, path

from roadmap.views import careers, onboarding, shaping, step, visuals
from roadmap.views import plan as plan_views

app_name = "roadmap"

# Under /plan/own-steps/: the steps the learner added themselves.
own_step_urls = [
    path("", shaping.own_add, name="own_step_add"),
    path("<int:pk>/status/", shaping.own_status, name="own_step_status"),
    path("<int:pk>/remove/", shaping.own_remove, name="own_step_remove"),
]

# Under /plan/<kind>/<slug>/: one step of the plan, its own page (notes, evidence, deliverables) and
# the changes made from its row of the plan (each re-plans).
step_urls = [
    path("", step.step_page, name="step"),
    path("status/", plan_views.step_status, name="step_status"),
    path("include/", shaping.include, name="step_include"),
    path("pin/", shaping.pin, name="step_pin"),
    path("move/", shaping.move, name="step_move"),
    path("notes/", step.step_notes, name="step_notes"),
    path("evidence/", step.step_evidence_add, name="step_evidence_add"),
    path("evidence/<int:pk>/remove/", step.step_evidence_remove, name="step_evidence_remove"),
    path("deliverables/<int:pk>/", step.step_deliverable, name="step_deliverable"),
]

urlpatterns: list = [
    # The learner's goals and pace; their paths predate the roadmap app.
    path("accounts/onboarding/", onboarding.onboarding, name="onboarding"),
    path("accounts/onboarding/preview/", onboarding.onboarding_preview, name="onboarding_preview"),
    path("accounts/settings/", onboarding.settings_page, name="settings"),
    # The plan: these come before "plan/<kind>/<slug>/" so that "stages" is never taken for a kind.
    path("plan/", plan_views.plan_page, name="plan"),
    path("plan/stages/<int:index>/", plan_views.plan_stage, name="plan_stage"),
    path("plan/readiness/", plan_views.plan_readiness, name="plan_readiness"),
    # The learner's own changes to the plan (each re-plans).
    path("plan/choices/", shaping.choose, name="plan_choose"),
    path("plan/focus/", shaping.focus, name="plan_focus"),
    path("plan/pace/", shaping.pace, name="plan_pace"),
    path("plan/hidden-stages/<int:pk>/", shaping.hide_stage, name="stage_hide"),
    path("plan/own-steps/", include(own_step_urls)),
    # The learner's visuals.
    path("plan/map/", visuals.roadmap_map, name="map"),
    path("plan/activity/", visuals.activity, name="activity"),
    path("plan/activity/goal/", visuals.weekly_goal, name="weekly_goal"),
    # One step: last, so that none of the paths above is taken for a kind and a slug.
    path("plan/<str:kind>/<slug:slug>/", include(step_urls)),
    path("plan/skill/<slug:slug>/courses/<slug:course>/add/", step.step_course_add, name="step_course_add"),
    # A role of the public Careers page, with the learner's own skills marked when logged in.
    path("careers/<slug:slug>/", careers.role_page, name="role"),
]
