"""URLs of mentoring: the learner's mentors and invitations (under /accounts/) and the mentor's
dashboard and mentee pages (under /mentor/)."""

from django.urls import path

from mentoring.views import learner, mentor, notifications

app_name = "mentoring"

urlpatterns = [
    path("accounts/mentors/", learner.mentors, name="mentors"),
    path("accounts/mentors/invite/", learner.mentor_invite, name="mentor_invite"),
    path("accounts/mentors/invite-link/", learner.mentor_invite_link, name="mentor_invite_link"),
    path("accounts/mentors/<str:key>/revoke/", learner.mentor_revoke, name="mentor_revoke"),
    path("accounts/invitations/<str:token>/", learner.invitation, name="invitation"),
    path("accounts/notifications/", notifications.notification_settings, name="notifications"),
    path(
        "accounts/mentoring/steps/<slug:kind>/<slug:slug>/comments/",
        learner.step_comment,
        name="step_comment",
    ),
    path(
        "accounts/mentoring/steps/<slug:kind>/<slug:slug>/comments/<int:pk>/delete/",
        learner.step_comment_delete,
        name="step_comment_delete",
    ),
    path(
        "accounts/mentoring/steps/<slug:kind>/<slug:slug>/review/",
        learner.step_review_request,
        name="step_review",
    ),
    path("mentor/", mentor.dashboard, name="dashboard"),
    path("mentor/<str:key>/", mentor.mentee, name="mentee"),
    path("mentor/<str:key>/step-down/", mentor.step_down, name="step_down"),
    path("mentor/<str:key>/steps/<slug:kind>/<slug:slug>/", mentor.mentee_step, name="mentee_step"),
    path(
        "mentor/<str:key>/steps/<slug:kind>/<slug:slug>/comments/",
        mentor.mentee_comment,
        name="mentee_comment",
    ),
    path(
        "mentor/<str:key>/steps/<slug:kind>/<slug:slug>/comments/<int:pk>/delete/",
        mentor.mentee_comment_delete,
        name="mentee_comment_delete",
    ),
    path(
        "mentor/<str:key>/steps/<slug:kind>/<slug:slug>/review/",
        mentor.mentee_review,
        name="mentee_review",
    ),
]
