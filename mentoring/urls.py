"""URLs of mentoring: the learner's mentors and invitations (under /accounts/) and the mentor's
dashboard and mentee pages (under /mentor/)."""

from django.urls import path

from accounts.views import mentoring

app_name = "mentoring"

urlpatterns = [
    path("accounts/mentors/", mentoring.mentors, name="mentors"),
    path("accounts/mentors/invite/", mentoring.mentor_invite, name="mentor_invite"),
    path("accounts/mentors/invite-link/", mentoring.mentor_invite_link, name="mentor_invite_link"),
    path("accounts/mentors/<str:key>/revoke/", mentoring.mentor_revoke, name="mentor_revoke"),
    path("accounts/invitations/<str:token>/", mentoring.invitation, name="invitation"),
    path(
        "accounts/mentoring/steps/<slug:kind>/<slug:slug>/comments/",
        mentoring.step_comment,
        name="step_comment",
    ),
    path(
        "accounts/mentoring/steps/<slug:kind>/<slug:slug>/comments/<int:pk>/delete/",
        mentoring.step_comment_delete,
        name="step_comment_delete",
    ),
    path(
        "accounts/mentoring/steps/<slug:kind>/<slug:slug>/review/",
        mentoring.step_review_request,
        name="step_review",
    ),
    path("mentor/", mentoring.dashboard, name="dashboard"),
    path("mentor/<str:key>/", mentoring.mentee, name="mentee"),
    path("mentor/<str:key>/step-down/", mentoring.step_down, name="step_down"),
    path("mentor/<str:key>/steps/<slug:kind>/<slug:slug>/", mentoring.mentee_step, name="mentee_step"),
    path(
        "mentor/<str:key>/steps/<slug:kind>/<slug:slug>/comments/",
        mentoring.mentee_comment,
        name="mentee_comment",
    ),
    path(
        "mentor/<str:key>/steps/<slug:kind>/<slug:slug>/comments/<int:pk>/delete/",
        mentoring.mentee_comment_delete,
        name="mentee_comment_delete",
    ),
    path(
        "mentor/<str:key>/steps/<slug:kind>/<slug:slug>/review/",
        mentoring.mentee_review,
        name="mentee_review",
    ),
]
