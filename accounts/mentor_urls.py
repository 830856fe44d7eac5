"""URLs of the mentor's side of mentoring, under /mentor/: the dashboard and each mentee's pages."""

from django.urls import path

from accounts.views import mentoring

app_name = "mentor"

urlpatterns = [
    path("", mentoring.dashboard, name="dashboard"),
    path("<str:key>/", mentoring.mentee, name="mentee"),
    path("<str:key>/step-down/", mentoring.step_down, name="step_down"),
    path("<str:key>/steps/<slug:kind>/<slug:slug>/", mentoring.mentee_step, name="mentee_step"),
    path(
        "<str:key>/steps/<slug:kind>/<slug:slug>/comments/", mentoring.mentee_comment, name="mentee_comment"
    ),
    path(
        "<str:key>/steps/<slug:kind>/<slug:slug>/comments/<int:pk>/delete/",
        mentoring.mentee_comment_delete,
        name="mentee_comment_delete",
    ),
    path("<str:key>/steps/<slug:kind>/<slug:slug>/review/", mentoring.mentee_review, name="mentee_review"),
]
