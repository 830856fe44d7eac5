"""Step comments, read markers and project reviews now belong to the mentoring app (mentoring 0001):
removed from this app's state only."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('roadmap', '0004_catalog_models_moved'),
        ('mentoring', '0001_initial'),
    ]

    operations = [
        # The tables stay where they are (db_table): only Django's idea of which app owns them changes.
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.RemoveConstraint(
                    model_name='commentreadmarker',
                    name='unique_read_marker',
                ),
                migrations.RemoveConstraint(
                    model_name='projectreview',
                    name='one_open_review_per_step',
                ),
                migrations.RemoveField(
                    model_name='commentreadmarker',
                    name='progress',
                ),
                migrations.RemoveField(
                    model_name='commentreadmarker',
                    name='user',
                ),
                migrations.RemoveField(
                    model_name='projectreview',
                    name='progress',
                ),
                migrations.RemoveField(
                    model_name='projectreview',
                    name='reviewer',
                ),
                migrations.DeleteModel(
                    name='StepComment',
                ),
                migrations.DeleteModel(
                    name='CommentReadMarker',
                ),
                migrations.DeleteModel(
                    name='ProjectReview',
                ),
            ],
        ),
    ]
