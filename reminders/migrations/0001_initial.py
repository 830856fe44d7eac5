"""ReminderLog moves from roadmap to reminders: state only, its table keeps the name roadmap_reminderlog."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from collections.abc import Callable

from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps
from django.db import migrations, models

MOVED = ["reminderlog"]


def content_types_move(from_app: str, to_app: str) -> Callable[[StateApps, BaseDatabaseSchemaEditor], None]:
    """Rename the moved models' content types, so their permissions and admin log entries stay."""

    def move(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
        ContentType = apps.get_model("contenttypes", "ContentType")
        db = schema_editor.connection.alias
        ContentType.objects.using(db).filter(app_label=from_app, model__in=MOVED).update(app_label=to_app)

    return move


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("roadmap", "0003_user_text_max_lengths"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ReminderLog",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "kind",
                            models.CharField(
                                choices=[
                                    ("reminder", "Scheduled reminder"),
                                    ("nudge", "Inactivity nudge"),
                                    ("digest", "Mentor digest"),
                                ],
                                max_length=10,
                            ),
                        ),
                        (
                            "period",
                            models.CharField(
                                help_text="e.g. 2026-11-24 (daily) or 2026-W48 (weekly).", max_length=32
                            ),
                        ),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("queued", "Queued"),
                                    ("sending", "Sending"),
                                    ("sent", "Sent"),
                                    ("failed", "Failed"),
                                ],
                                db_index=True,
                                default="queued",
                                max_length=10,
                            ),
                        ),
                        ("attempts", models.PositiveSmallIntegerField(default=0)),
                        ("error", models.TextField(blank=True)),
                        ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                        ("sent_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "user",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="reminder_logs",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "ordering": ["-created_at"],
                        "db_table": "roadmap_reminderlog",
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("user", "kind", "period"), name="one_reminder_per_period"
                            )
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(
            content_types_move("roadmap", "reminders"), content_types_move("reminders", "roadmap"), elidable=False
        ),
    ]
