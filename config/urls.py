"""Top-level URL configuration."""

from django.contrib import admin
from django.urls import include, path

from catalog import views as catalog_views
from config import views as ops_views

urlpatterns = [
    path("", catalog_views.home, name="home"),
    path("admin/", admin.site.urls),
    path("healthz", ops_views.healthz, name="healthz"),
    path("healthz/ping", ops_views.ping, name="ping"),
    path("favicon.ico", ops_views.favicon, name="favicon"),
    path("accounts/", include("accounts.urls")),
    path("", include("mentoring.urls")),
    path("", include("reminders.urls")),
    path("", include("catalog.urls")),
    path("", include("roadmap.urls")),
    path("", include("jobs.urls")),
    path("", include("api.urls")),
    path("", include("sharing.urls")),
]
