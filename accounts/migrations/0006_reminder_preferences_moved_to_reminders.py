"""The reminder preferences now live in reminders.ReminderPreference (reminders 0002 copied them): off the profile."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0005_mentorship_moved_to_mentoring'),
        ('reminders', '0002_reminder_preference'),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='profile',
            name='profile_reminder_hour_range',
        ),
        migrations.RemoveConstraint(
            model_name='profile',
            name='profile_weekday_range',
        ),
        migrations.RemoveField(
            model_name='profile',
            name='last_reminded_at',
        ),
        migrations.RemoveField(
            model_name='profile',
            name='next_reminder_at',
        ),
        migrations.RemoveField(
            model_name='profile',
            name='reminder_frequency',
        ),
        migrations.RemoveField(
            model_name='profile',
            name='reminder_hour',
        ),
        migrations.RemoveField(
            model_name='profile',
            name='reminder_weekday',
        ),
    ]
