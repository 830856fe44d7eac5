"""ReminderLog now lives in reminders (reminders 0001): removed from roadmap's state, its table stays."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("roadmap", "0005_comments_and_reviews_moved_to_mentoring"),
        ("reminders", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="ReminderLog")],
            database_operations=[],
        ),
    ]
