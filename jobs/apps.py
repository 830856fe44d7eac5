"""App config for jobs: job ads a learner pastes, the skills they ask for, the plan's focus on one."""

from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "jobs"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from jobs.focus import focus_front
        from roadmap.plan_inputs import FRONT_PROVIDERS

        # Every re-plan asks the focus for the skills to rank first (roadmap needs nothing of ours).
        if focus_front not in FRONT_PROVIDERS:
            FRONT_PROVIDERS.append(focus_front)
