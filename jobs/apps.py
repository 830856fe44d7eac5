"""App config for jobs: job ads a learner pastes, the skills they ask for, the plan's focus on one."""

from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "jobs"
    default_auto_field = "django.db.models.BigAutoField"
