"""Top-level URL configuration."""

from django.contrib import admin
from django.urls import include, path

from roadmap.admin import content_urlpatterns
from roadmap.views import catalog as catalog_views

urlpatterns = [
    path("", catalog_views.home, name="home"),
    path("admin/content/", include(content_urlpatterns)),
    path("admin/", admin.site.urls),
    path("accounts/", include("accounts.urls")),
    path("", include("roadmap.urls")),
]
