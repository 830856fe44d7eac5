"""The profile's tracks and known skills point at the catalog app's models (state only).

Track and Skill moved from roadmap to catalog with their tables; the many-to-many tables
(accounts_profile_tracks, accounts_profile_known_skills) and their columns stay as they are.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_email_verification_and_invite_sent_at"),
        ("catalog", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="profile",
                    name="known_skills",
                    field=models.ManyToManyField(blank=True, related_name="+", to="catalog.skill"),
                ),
                migrations.AlterField(
                    model_name="profile",
                    name="tracks",
                    field=models.ManyToManyField(blank=True, related_name="+", to="catalog.track"),
                ),
            ],
            database_operations=[],
        ),
    ]
