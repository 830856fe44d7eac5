"""URLs of mentoring: the learner's mentors and invitations (under /accounts/) and the mentor's
dashboard and mentee pages (under /mentor/)."""

from django.urls import include, path

from mentoring.views import learner, mentor, notifications

app_name = "mentoring"

# Under /accounts/mentors/: the learner's mentors and the invitations they send.
mentors_urls = [
    path("", learner.mentors, name="mentors"),
    path("invite/", learner.mentor_invite, name="mentor_invite"),
    path("invite-link/", learner.mentor_invite_link, name="mentor_invite_link"),
    path("<str:key>/revoke/", learner.mentor_revoke, name="mentor_revoke"),
]

# Under /accounts/mentoring/steps/<kind>/<slug>/: a step of the learner's own plan.
learner_step_urls = [
    path("comments/", learner.step_comment, name="step_comment"),
    path("comments/<int:pk>/delete/", learner.step_comment_delete, name="step_comment_delete"),
    path("review/", learner.step_review_request, name="step_review"),
]

# Under /mentor/<key>/steps/<kind>/<slug>/: the same step, seen by one of the learner's mentors.
mentee_step_urls = [
    path("", mentor.mentee_step, name="mentee_step"),
    path("comments/", mentor.mentee_comment, name="mentee_comment"),
    path("comments/<int:pk>/delete/", mentor.mentee_comment_delete, name="mentee_comment_delete"),
    path("review/", mentor.mentee_review, name="mentee_review"),
]

urlpatterns = [
    path("accounts/mentors/", include(mentors_urls)),
    path("accounts/invitations/<str:token>/", learner.invitation, name="invitation"),
    path("accounts/notifications/", notifications.notification_settings, name="notifications"),
    path("accounts/mentoring/steps/<slug:kind>/<slug:slug>/", include(learner_step_urls)),
    path("mentor/", mentor.dashboard, name="dashboard"),
    path("mentor/<str:key>/", mentor.mentee, name="mentee"),
    path("mentor/<str:key>/step-down/", mentor.step_down, name="step_down"),
    path("mentor/<str:key>/steps/<slug:kind>/<slug:slug>/", include(mentee_step_urls)),
]
