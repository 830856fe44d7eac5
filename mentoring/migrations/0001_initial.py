"""Mentorships (from accounts), step comments, read markers and project reviews (from roadmap) move
here without touching a row: their tables keep their names, their content types are renamed."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps
from django.db import migrations, models


MOVED = {"accounts": ["mentorship"], "roadmap": ["stepcomment", "commentreadmarker", "projectreview"]}


def content_types_to(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor, *, forward: bool) -> None:
    """Permissions and admin log entries point at content types: rename them rather than let new
    ones be made (a fresh database has none yet; post_migrate makes them under the new label)."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    for old_label, names in MOVED.items():
        source, target = (old_label, "mentoring") if forward else ("mentoring", old_label)
        for model in names:
            if not ContentType.objects.using(db).filter(app_label=target, model=model).exists():
                ContentType.objects.using(db).filter(app_label=source, model=model).update(app_label=target)


def forwards(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    content_types_to(apps, schema_editor, forward=True)


def backwards(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    content_types_to(apps, schema_editor, forward=False)


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('accounts', '0003_email_verification_and_invite_sent_at'),
        ('roadmap', '0003_user_text_max_lengths'),
        ('contenttypes', '0002_remove_content_type_name'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # The tables stay where they are (db_table): only Django's idea of which app owns them changes.
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='StepComment',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('body', models.TextField(help_text='Markdown.', max_length=5000)),
                        ('created_at', models.DateTimeField(db_index=True, default=django.utils.timezone.now)),
                        ('author', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('progress', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='comments', to='roadmap.progress')),
                    ],
                    options={
                        'db_table': 'roadmap_stepcomment',
                        'ordering': ['created_at', 'id'],
                    },
                ),
                migrations.CreateModel(
                    name='CommentReadMarker',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('read_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('progress', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='read_markers', to='roadmap.progress')),
                        ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'roadmap_commentreadmarker',
                        'constraints': [models.UniqueConstraint(fields=('user', 'progress'), name='unique_read_marker')],
                    },
                ),
                migrations.CreateModel(
                    name='Mentorship',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('invited_email', models.EmailField(blank=True, max_length=254)),
                        ('channel', models.CharField(choices=[('email', 'E-mail'), ('link', 'Invite link')], default='email', max_length=8)),
                        ('key', models.CharField(max_length=64, unique=True)),
                        ('status', models.CharField(choices=[('pending', 'Pending'), ('active', 'Active'), ('declined', 'Declined'), ('revoked', 'Revoked by the learner'), ('ended', 'Ended by the mentor')], default='pending', max_length=10)),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('sent_at', models.DateTimeField(blank=True, null=True)),
                        ('responded_at', models.DateTimeField(blank=True, null=True)),
                        ('ended_at', models.DateTimeField(blank=True, null=True)),
                        ('learner', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='mentorships_as_learner', to=settings.AUTH_USER_MODEL)),
                        ('mentor', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='mentorships_as_mentor', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'accounts_mentorship',
                        'ordering': ['-created_at'],
                        'indexes': [models.Index(fields=['mentor', 'status'], name='accounts_me_mentor__f5f37a_idx'), models.Index(fields=['learner', 'status'], name='accounts_me_learner_0e16dd_idx')],
                        'constraints': [models.UniqueConstraint(condition=models.Q(('status', 'active')), fields=('learner', 'mentor'), name='one_active_mentorship_per_pair'), models.CheckConstraint(condition=models.Q(('learner', models.F('mentor')), _negated=True), name='mentor_is_not_learner'), models.CheckConstraint(condition=models.Q(models.Q(('status', 'active'), _negated=True), ('mentor__isnull', False), _connector='OR'), name='active_mentorship_has_mentor')],
                    },
                ),
                migrations.CreateModel(
                    name='ProjectReview',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('evidence_url', models.URLField(max_length=500)),
                        ('message', models.TextField(blank=True, help_text='Markdown.', max_length=2000)),
                        ('status', models.CharField(choices=[('requested', 'Waiting for review'), ('approved', 'Approved'), ('changes_requested', 'Changes requested')], default='requested', max_length=20)),
                        ('requested_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('responded_at', models.DateTimeField(blank=True, null=True)),
                        ('response', models.TextField(blank=True, help_text='Markdown.', max_length=5000)),
                        ('progress', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='reviews', to='roadmap.progress')),
                        ('reviewer', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'roadmap_projectreview',
                        'ordering': ['requested_at', 'id'],
                        'constraints': [models.UniqueConstraint(condition=models.Q(('status', 'requested')), fields=('progress',), name='one_open_review_per_step')],
                    },
                ),
            ],
        ),
        migrations.RunPython(forwards, backwards),
    ]
