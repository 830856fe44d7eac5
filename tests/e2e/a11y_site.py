"""The site the accessibility tests browse: the shipped content, a learner some weeks into the core
and NLP tracks, her mentor and a newcomer; and loading it fast from a dumpdata file."""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path

from django.conf import settings
from django.core import serializers
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils import timezone

from catalog.models import Deliverable, Skill, Track
from roadmap.models import DeliverableCheck, EvidenceLink, PlanItem, Progress, ProgressEvent
from roadmap.services import step_set_status
from tests.factories import (
    ActiveMentorshipFactory,
    MentorshipFactory,
    ProjectReviewFactory,
    StepCommentFactory,
    UserFactory,
)
from tests.plans import onboard

CONTENT = Path(settings.BASE_DIR) / "fixtures" / "content.json"
LEARNER = "ada.a11y@example.com"
MENTOR = "grace.a11y@example.com"
NEWCOMER = "alan.a11y@example.com"  # signed up, not onboarded yet, invited to mentor Ada
PROJECT = "image-classification"  # a project of the core track, with deliverables in the shipped content


def build_site() -> None:
    """The shipped content, a learner some weeks into the core and NLP tracks, and her mentor."""
    call_command("import_content", str(CONTENT), verbosity=0)
    learner = UserFactory(email=LEARNER, display_name="Ada Lovelace")
    mentor = UserFactory(email=MENTOR, display_name="Grace Hopper")
    known = tuple(Skill.objects.filter(slug__in=["programming-basics", "command-line"]))
    tracks = Track.objects.filter(slug__in=["ml-engineer", "nlp-llms"]).order_by("order")
    onboard(learner, *tracks, known=known, hours=8, target=timezone.localdate() + dt.timedelta(days=200))

    items = list(learner.plan.items.order_by("position"))
    for n, item in enumerate(items[:14]):
        status = Progress.Status.SKIPPED if n == 5 else Progress.Status.DONE
        kind, item_id = item.item_key
        step_set_status(learner=learner, kind=kind, item_id=item_id, status=status, by=learner)
    for item in items[14:16]:
        kind, item_id = item.item_key
        step_set_status(learner=learner, kind=kind, item_id=item_id, status="in_progress", by=learner)
    # Spread the history over the last ten weeks, so the activity chart and calendar have shape.
    for n, event in enumerate(ProgressEvent.objects.filter(progress__learner=learner).order_by("pk")):
        event.at = timezone.now() - dt.timedelta(days=70 - 4 * n)
        event.save(update_fields=["at"])

    project_item = PlanItem.objects.get(plan__learner=learner, project__slug=PROJECT)
    step_set_status(
        learner=learner, kind="project", item_id=project_item.item_key[1], status="in_progress", by=learner
    )
    project = Progress.objects.get(learner=learner, project_id=project_item.item_key[1])
    project.notes = (
        "Fine-tuned a **ResNet-18**: 91% top-1 on the validation split.\n\n- augmentations\n- mixup"
    )
    project.notes_shared = True
    project.save(update_fields=["notes", "notes_shared"])
    EvidenceLink.objects.create(progress=project, url="https://github.com/ada/image-classifier", label="Code")
    for deliverable in Deliverable.objects.filter(project_id=project_item.project_id).order_by("order")[:2]:
        DeliverableCheck.objects.create(progress=project, deliverable=deliverable)

    ActiveMentorshipFactory(learner=learner, mentor=mentor)
    UserFactory(email=NEWCOMER, display_name="Alan Turing")
    MentorshipFactory(learner=learner, invited_email=NEWCOMER)  # still pending
    StepCommentFactory(progress=project, author=mentor, body="Nice curve. Try a *cosine* schedule next.")
    StepCommentFactory(progress=project, author=learner, body="Will do, thanks!")
    ProjectReviewFactory(progress=project, evidence_url="https://github.com/ada/image-classifier")


def load_rows(dump: Path) -> None:
    """Insert a dumpdata file model by model with bulk_create: loaddata saves rows one at a time
    (two queries each, plus the many-to-many sets), which takes seconds per test on PostgreSQL."""
    objects = list(serializers.deserialize("json", dump.read_text()))
    models = []
    with transaction.atomic():
        # dumpdata writes models in dependency order, so each group's foreign keys already exist.
        for model, group in itertools.groupby(objects, key=lambda o: type(o.object)):
            rows = list(group)
            model.objects.bulk_create([row.object for row in rows])
            for name in {name for row in rows for name in row.m2m_data or {}}:
                field = model._meta.get_field(name)
                through = field.remote_field.through
                source, target = f"{field.m2m_field_name()}_id", f"{field.m2m_reverse_field_name()}_id"
                links = [
                    through(**{source: row.object.pk, target: pk})
                    for row in rows
                    for pk in (row.m2m_data or {}).get(name, [])
                ]
                through.objects.bulk_create(links)
                models.append(through)
            models.append(model)
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(sql)
