"""Top-level URL configuration."""

from django.contrib import admin
from django.urls import include, path

from config import views as ops_views
from roadmap.admin import content_urlpatterns
from roadmap.views import catalog as catalog_views

urlpatterns = [
    path("", catalog_views.home, name="home"),
    path("admin/content/", include(content_urlpatterns)),
    path("admin/", admin.site.urls),
    path("healthz", ops_views.healthz, name="healthz"),
    path("healthz/ping", ops_views.ping, name="ping"),
    path("favicon.ico", ops_views.favicon, name="favicon"),
    path("accounts/", include("accounts.urls")),
    path("", include("mentoring.urls")),
    path("", include("reminders.urls")),
    path("", include("catalog.urls")),
    path("", include("roadmap.urls")),
]
