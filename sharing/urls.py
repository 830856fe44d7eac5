"""URLs of sharing."""

from django.urls import path

from sharing import pdf_views, views

app_name = "sharing"

urlpatterns = [
    path("accounts/sharing/", views.settings_page, name="settings"),
    path("accounts/sharing/sessions/", views.sessions, name="sessions"),
    path("accounts/sharing/page/", views.public_page, name="public_page"),
    path("accounts/sharing/feed/new/", views.address_regenerate, {"which": "feed"}, name="feed_regenerate"),
    path("accounts/sharing/card/new/", views.address_regenerate, {"which": "card"}, name="card_regenerate"),
    path("accounts/sharing/plan.ics", views.calendar_download, name="calendar_download"),
    path("accounts/sharing/plan.<str:fmt>", views.plan_download, name="plan_download"),
    path("accounts/sharing/plan-pdf/", pdf_views.plan_pdf_page, name="plan_pdf"),
    path("accounts/sharing/plan-pdf/download/", pdf_views.plan_pdf_download, name="plan_pdf_download"),
    path("accounts/badges/", views.badges, name="badges"),
    path("accounts/badges/<str:pk>.json", views.badge_download, name="badge_download"),
    path("mentor/<str:key>/plan.<str:fmt>", views.mentee_plan_download, name="mentee_plan_download"),
    path("mentor/<str:key>/plan-pdf/", pdf_views.mentee_plan_pdf_page, name="mentee_plan_pdf"),
    path(
        "mentor/<str:key>/plan-pdf/download/",
        pdf_views.mentee_plan_pdf_download,
        name="mentee_plan_pdf_download",
    ),
    path("share/feed/<str:token>.ics", views.feed, name="feed"),
    path("share/card/<str:token>.svg", views.card, name="card"),
    path("u/<str:handle>/", views.public, name="public"),
    path("badges/verify/", views.verify_page, name="verify"),
    path("badges/issuer/", views.issuer, name="issuer"),
    path("badges/issuer/jwks.json", views.jwks, name="jwks"),
]
