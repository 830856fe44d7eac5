"""App config for reminders."""

from django.apps import AppConfig
from django.db.models.signals import post_save


class RemindersConfig(AppConfig):
    name = "reminders"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Registers the send tasks, which reminders.services publishes by name (it does not import them).
        from reminders import tasks  # noqa: F401
        from reminders.receivers import preference_for_new_user, slot_follow_profile

        post_save.connect(
            preference_for_new_user, sender="accounts.User", dispatch_uid="reminders.preference_create"
        )
        post_save.connect(
            slot_follow_profile, sender="accounts.Profile", dispatch_uid="reminders.slot_follow"
        )
