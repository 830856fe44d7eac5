"""App config for sharing: the calendar feed, the public page and its card, badges, plan documents."""

from django.apps import AppConfig


class SharingConfig(AppConfig):
    name = "sharing"
    default_auto_field = "django.db.models.BigAutoField"
