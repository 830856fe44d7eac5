"""URLs of sharing."""

from django.urls import include, path

from sharing import pdf_views, views

app_name = "sharing"

# Under /accounts/sharing/: the learner's sharing settings and the documents of their own plan.
settings_urls = [
    path("", views.settings_page, name="settings"),
    path("sessions/", views.sessions, name="sessions"),
    path("page/", views.public_page, name="public_page"),
    path("feed/new/", views.address_regenerate, {"which": "feed"}, name="feed_regenerate"),
    path("card/new/", views.address_regenerate, {"which": "card"}, name="card_regenerate"),
    path("plan.ics", views.calendar_download, name="calendar_download"),
    path("plan.<str:fmt>", views.plan_download, name="plan_download"),
    path("plan-pdf/", pdf_views.plan_pdf_page, name="plan_pdf"),
    path("plan-pdf/download/", pdf_views.plan_pdf_download, name="plan_pdf_download"),
]

# Under /mentor/<key>/: the documents of a mentee's plan.
mentee_urls = [
    path("plan.<str:fmt>", views.mentee_plan_download, name="mentee_plan_download"),
    path("plan-pdf/", pdf_views.mentee_plan_pdf_page, name="mentee_plan_pdf"),
    path("plan-pdf/download/", pdf_views.mentee_plan_pdf_download, name="mentee_plan_pdf_download"),
]

urlpatterns = [
    path("accounts/sharing/", include(settings_urls)),
    path("accounts/badges/", views.badges, name="badges"),
    path("accounts/badges/<str:pk>.json", views.badge_download, name="badge_download"),
    path("mentor/<str:key>/", include(mentee_urls)),
    path("share/feed/<str:token>.ics", views.feed, name="feed"),
    path("share/card/<str:token>.svg", views.card, name="card"),
    path("u/<str:handle>/", views.public, name="public"),
    path("badges/verify/", views.verify_page, name="verify"),
    path("badges/issuer/", views.issuer, name="issuer"),
    path("badges/issuer/jwks.json", views.jwks, name="jwks"),
]
