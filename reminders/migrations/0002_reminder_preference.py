"""Reminder preferences get their own model: created, then filled with every profile's values (accounts 0004
then drops the profile's columns). Reversible: going back copies the values into the profiles again."""

import django.core.validators
import django.db.models.deletion
from django.conf import settings
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps
from django.db import migrations, models

BATCH = 5000
FIELDS = ("frequency", "weekday", "hour", "next_reminder_at", "last_reminded_at")
PROFILE_FIELDS = tuple(f"reminder_{f}" if f in ("frequency", "weekday", "hour") else f for f in FIELDS)


def preferences_from_profiles(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    """One preference row per user: the profile's values, Django's defaults for a user without a profile."""
    db = schema_editor.connection.alias
    User = apps.get_model("accounts", "User")
    ReminderPreference = apps.get_model("reminders", "ReminderPreference")
    rows = User.objects.using(db).order_by("pk").values_list("pk", *[f"profile__{f}" for f in PROFILE_FIELDS])
    batch = []
    for user_id, *values in rows.iterator(chunk_size=BATCH):
        fields = dict(zip(FIELDS, values, strict=True)) if values[0] is not None else {}
        batch.append(ReminderPreference(user_id=user_id, **fields))
        if len(batch) == BATCH:
            ReminderPreference.objects.using(db).bulk_create(batch)
            batch = []
    ReminderPreference.objects.using(db).bulk_create(batch)


def profiles_from_preferences(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    db = schema_editor.connection.alias
    Profile = apps.get_model("accounts", "Profile")
    ReminderPreference = apps.get_model("reminders", "ReminderPreference")
    values = ReminderPreference.objects.using(db).order_by("pk").values_list("user_id", *FIELDS)
    pending: dict[int, tuple] = {}

    def flush() -> None:
        profiles = list(Profile.objects.using(db).filter(user_id__in=pending))
        for profile in profiles:
            for name, value in zip(PROFILE_FIELDS, pending[profile.user_id], strict=True):
                setattr(profile, name, value)
        Profile.objects.using(db).bulk_update(profiles, PROFILE_FIELDS, batch_size=1000)
        pending.clear()

    for user_id, *row in values.iterator(chunk_size=BATCH):
        pending[user_id] = tuple(row)
        if len(pending) == BATCH:
            flush()
    flush()


class Migration(migrations.Migration):

    dependencies = [
        ('reminders', '0001_initial'),
        ('accounts', '0003_email_verification_and_invite_sent_at'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='ReminderPreference',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('frequency', models.CharField(choices=[('off', 'Off'), ('daily', 'Daily'), ('weekly', 'Weekly')], default='weekly', max_length=8)),
                ('weekday', models.PositiveSmallIntegerField(choices=[(0, 'Monday'), (1, 'Tuesday'), (2, 'Wednesday'), (3, 'Thursday'), (4, 'Friday'), (5, 'Saturday'), (6, 'Sunday')], default=0)),
                ('hour', models.PositiveSmallIntegerField(default=9, validators=[django.core.validators.MinValueValidator(0), django.core.validators.MaxValueValidator(23)])),
                ('next_reminder_at', models.DateTimeField(blank=True, db_index=True, null=True)),
                ('last_reminded_at', models.DateTimeField(blank=True, null=True)),
                ('user', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='reminder_preference', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'constraints': [models.CheckConstraint(condition=models.Q(('hour__lte', 23)), name='reminder_preference_hour_range'), models.CheckConstraint(condition=models.Q(('weekday__lte', 6)), name='reminder_preference_weekday_range')],
            },
        ),
        migrations.RunPython(preferences_from_profiles, profiles_from_preferences),
    ]
