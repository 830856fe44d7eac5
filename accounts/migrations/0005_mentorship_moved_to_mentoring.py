"""Mentorship now belongs to the mentoring app (mentoring 0001): removed from this app's state only."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0004_profile_catalog_relations'),
        ('mentoring', '0001_initial'),
    ]

    operations = [
        # The tables stay where they are (db_table): only Django's idea of which app owns them changes.
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.RemoveIndex(
                    model_name='mentorship',
                    name='accounts_me_mentor__f5f37a_idx',
                ),
                migrations.RemoveIndex(
                    model_name='mentorship',
                    name='accounts_me_learner_0e16dd_idx',
                ),
                migrations.RemoveConstraint(
                    model_name='mentorship',
                    name='one_active_mentorship_per_pair',
                ),
                migrations.RemoveConstraint(
                    model_name='mentorship',
                    name='mentor_is_not_learner',
                ),
                migrations.RemoveConstraint(
                    model_name='mentorship',
                    name='active_mentorship_has_mentor',
                ),
                migrations.DeleteModel(
                    name='Mentorship',
                ),
            ],
        ),
    ]
