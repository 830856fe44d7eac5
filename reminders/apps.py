"""App config for reminders."""

from django.apps import AppConfig


class RemindersConfig(AppConfig):
    name = "reminders"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Registers the send tasks, which reminders.services publishes by name (it does not import them).
        from reminders import tasks  # noqa: F401
