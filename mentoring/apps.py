"""App config for mentoring."""

from django.apps import AppConfig


class MentoringConfig(AppConfig):
    name = "mentoring"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from accounts.signals import login_landing
        from mentoring import receivers
        from roadmap.signals import step_viewed

        step_viewed.connect(receivers.step_comments_seen, dispatch_uid="mentoring.step_comments_seen")
        login_landing.connect(receivers.mentor_landing, dispatch_uid="mentoring.mentor_landing")
