"""The step page's htmx fragments run only the queries their panel needs, however much the step holds.

Each budget counts the session and user reads, the step's lookup, the service's writes (with their
savepoints inside the test's transaction) and the panel's own reads; each is pinned at two sizes of
the step (1 and 30 evidence links, deliverables, comments and history entries).
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from accounts.models import User
from catalog.models import Deliverable
from mentoring.models import Mentorship, ProjectReview, StepComment
from mentoring.services import comments_mark_read
from roadmap.models import EvidenceLink, Progress, ProgressEvent
from roadmap.services import progress_get_or_create
from tests.factories import ActiveMentorshipFactory, UserFactory
from tests.plans import onboard, sample_catalog

HTMX = {"HTTP_HX_REQUEST": "true"}
SIZES = [1, 30]
STEP = ("project", "image-classifier")


@dataclass
class Step:
    learner: User
    mentorship: Mentorship
    progress: Progress
    deliverable: Deliverable
    link: EvidenceLink


@pytest.fixture(params=SIZES, ids=lambda n: f"{n}-each")
def step(request: pytest.FixtureRequest, db: None) -> Step:
    """A project step holding n deliverables, evidence links, comments and status changes."""
    size: int = request.param
    catalog = sample_catalog()
    learner = UserFactory()
    onboard(learner, catalog.core)
    mentorship = ActiveMentorshipFactory(learner=learner)
    progress = progress_get_or_create(learner=learner, kind="project", item_id=catalog.project.pk)
    for i in range(size):
        Deliverable.objects.create(project=catalog.project, order=i, text=f"Deliverable {i}")
        EvidenceLink.objects.create(progress=progress, url=f"https://example.com/work/{i}")
        StepComment.objects.create(progress=progress, author=mentorship.mentor, body=f"Comment {i}")
        ProgressEvent.objects.create(progress=progress, from_status="not_started", to_status="in_progress")
    ProjectReview.objects.create(progress=progress, evidence_url="https://example.com/review")
    # Both have read the thread: what a fragment marks read is then the same at every size.
    comments_mark_read(user=learner, progress=progress)
    comments_mark_read(user=mentorship.mentor, progress=progress)
    return Step(
        learner=learner,
        mentorship=mentorship,
        progress=progress,
        deliverable=Deliverable.objects.filter(project=catalog.project).first(),
        link=EvidenceLink.objects.filter(progress=progress).first(),
    )


def url(name: str, *extra: object) -> str:
    return reverse(f"roadmap:{name}", args=[*STEP, *extra])


@pytest.fixture
def learner_client(client: Client, step: Step) -> Client:
    client.force_login(step.learner)
    return client


@pytest.fixture
def mentor_client(client: Client, step: Step) -> Client:
    client.force_login(step.mentorship.mentor)
    return client


# ---------------------------------------------------------------- the learner's step page


def test_the_full_step_page_reads_the_same_whatever_the_step_holds(
    learner_client: Client, step: Step, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    with django_assert_num_queries(18):  # 17 and the navigation's unread counts
        response = learner_client.get(url("step"))
    newest = StepComment.objects.latest("created_at", "pk")
    assert response.status_code == 200
    assert f'id="comment-{newest.pk}"' in response.content.decode()


def test_without_an_open_review_the_step_page_reads_the_evidence_links_once(
    learner_client: Client, step: Step
) -> None:
    """The links listed on the step and offered for a review request are one read."""
    ProjectReview.objects.filter(progress=step.progress).delete()
    with CaptureQueriesContext(connection) as queries:
        page = learner_client.get(url("step")).content.decode()
    reads = [q["sql"] for q in queries.captured_queries if 'FROM "roadmap_evidencelink"' in q["sql"]]
    assert len(reads) == 1
    last = list(step.progress.evidence.all())[-1]
    assert f'required value="{last.url}"' in page  # the review request offers the last link
    assert 'id="review-evidence"' in page  # and all of them to pick from


def test_saving_notes_with_htmx_reads_only_the_notes_panel(
    learner_client: Client, step: Step, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    with django_assert_num_queries(7):
        response = learner_client.post(url("step_notes"), {"notes": "Learned *this*"}, **HTMX)
    page = response.content.decode()
    assert response.status_code == 200
    assert "<em>this</em>" in page and "Notes saved." in page
    assert 'id="evidence"' not in page and "Deliverable 0" not in page


def test_refused_notes_with_htmx_come_back_in_the_panel_after_one_read(
    learner_client: Client, step: Step, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    with django_assert_num_queries(4):
        response = learner_client.post(url("step_notes"), {"notes": "x" * 100_001}, **HTMX)
    assert response.status_code == 200
    assert "Your notes were not saved" in response.content.decode()


def test_adding_a_link_with_htmx_reads_only_the_evidence_list(
    learner_client: Client, step: Step, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    count = step.progress.evidence.count()
    with django_assert_num_queries(12):
        response = learner_client.post(url("step_evidence_add"), {"url": "https://example.org/new"}, **HTMX)
    page = response.content.decode()
    assert "Link added." in page and "https://example.org/new" in page
    assert page.count('class="evidence-link"') == count + 1
    assert 'id="notes"' not in page and "Deliverable 0" not in page


def test_a_refused_link_with_htmx_comes_back_with_the_list_after_one_read(
    learner_client: Client, step: Step, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    with django_assert_num_queries(4):
        response = learner_client.post(url("step_evidence_add"), {"url": "not a link"}, **HTMX)
    page = response.content.decode()
    assert "The link was not added" in page and "https://example.com/work/0" in page


def test_removing_a_link_with_htmx_reads_only_the_evidence_list(
    learner_client: Client, step: Step, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    with django_assert_num_queries(7):
        response = learner_client.post(url("step_evidence_remove", step.link.pk), **HTMX)
    page = response.content.decode()
    assert "Link removed." in page and step.link.url not in page


def test_ticking_a_deliverable_with_htmx_reads_only_the_checklist(
    learner_client: Client, step: Step, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    # 12, and the project starts: its status moves to in progress (UPDATE, history, last activity)
    with django_assert_num_queries(17):
        response = learner_client.post(url("step_deliverable", step.deliverable.pk), {"checked": "1"}, **HTMX)
    page = response.content.decode()
    assert f"1 of {Deliverable.objects.count()} done" in page
    assert 'id="notes"' not in page and 'id="evidence"' not in page


def test_the_fragments_still_work_without_javascript(learner_client: Client, step: Step) -> None:
    posts = [
        (url("step_notes"), {"notes": "Plain post"}, "#notes"),
        (url("step_evidence_add"), {"url": "https://example.org/plain"}, "#evidence"),
        (url("step_evidence_remove", step.link.pk), {}, "#evidence"),
        (url("step_deliverable", step.deliverable.pk), {"checked": "1"}, "#deliverables"),
    ]
    for target, data, anchor in posts:
        response = learner_client.post(target, data)
        assert response.status_code == 302
        assert response["Location"] == url("step") + anchor
    page = learner_client.get(url("step")).content.decode()
    assert "Plain post" in page and "https://example.org/plain" in page and step.link.url not in page
    refused = learner_client.post(url("step_evidence_add"), {"url": "not a link"})
    assert refused.status_code == 400 and "Deliverable 0" in refused.content.decode()


# ---------------------------------------------------------------- comments on the learner's step page


def test_deleting_a_comment_with_htmx_reads_only_the_thread(
    learner_client: Client, step: Step, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    comment = StepComment.objects.create(progress=step.progress, author=step.mentorship.mentor, body="Oops")
    with django_assert_num_queries(14):
        response = learner_client.post(
            reverse("mentoring:step_comment_delete", args=[*STEP, comment.pk]), **HTMX
        )
    page = response.content.decode()
    assert "Comment deleted." in page and f'id="comment-{comment.pk}"' not in page
    assert 'id="evidence"' not in page


# ---------------------------------------------------------------- the mentor's page of the mentee's step


def mentee_url(step: Step, name: str, *extra: object) -> str:
    return reverse(f"mentoring:{name}", args=[step.mentorship.key, *STEP, *extra])


def test_the_mentees_step_page_reads_the_same_whatever_the_step_holds(
    mentor_client: Client, step: Step, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    with django_assert_num_queries(13):  # 12 and the navigation's unread counts
        response = mentor_client.get(mentee_url(step, "mentee_step"))
    assert "Deliverable 0" in response.content.decode()


def test_a_mentors_comment_with_htmx_reads_only_the_thread(
    mentor_client: Client, step: Step, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    # 17, and the learner's notification: their mentors, their settings, the row
    with django_assert_num_queries(20):
        response = mentor_client.post(mentee_url(step, "mentee_comment"), {"body": "Well done"}, **HTMX)
    page = response.content.decode()
    assert "Well done" in page and "Deliverable 0" not in page


def test_a_mentor_deleting_a_comment_with_htmx_reads_only_the_thread(
    mentor_client: Client, step: Step, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    comment = StepComment.objects.create(progress=step.progress, author=step.mentorship.mentor, body="Oops")
    with django_assert_num_queries(14):
        response = mentor_client.post(mentee_url(step, "mentee_comment_delete", comment.pk), **HTMX)
    page = response.content.decode()
    assert "Comment deleted." in page and f'id="comment-{comment.pk}"' not in page
    assert "Deliverable 0" not in page
