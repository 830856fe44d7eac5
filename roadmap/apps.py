"""App config for roadmap."""

from django.apps import AppConfig


class RoadmapConfig(AppConfig):
    name = "roadmap"
    default_auto_field = "django.db.models.BigAutoField"
