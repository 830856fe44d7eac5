"""Project reviews: requesting with an evidence link, one open at a time, approving, asking for changes."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone

from mentoring.models import Mentorship, ProjectReview
from mentoring.services import MentoringError, review_request
from roadmap.models import EvidenceLink, PlanItem
from tests.factories import ActiveMentorshipFactory, ProjectReviewFactory, UserFactory
from tests.mentoring.helpers import plan_for, progress_on, render_learner_step, step_url

pytestmark = pytest.mark.django_db


def project_setup() -> tuple[Mentorship, PlanItem]:
    mentorship = ActiveMentorshipFactory()
    items = plan_for(mentorship.learner, steps=1, project=True)
    return mentorship, items[-1]


def request_review(client: Any, learner: Any, item: PlanItem, url: str = "https://github.com/a/b") -> Any:
    client.force_login(learner)
    return client.post(
        reverse("mentoring:step_review", args=[item.kind, item.item.slug]),
        {"evidence_url": url, "message": "Done!"},
    )


def test_learner_requests_a_review_with_an_evidence_link(client):
    mentorship, item = project_setup()
    response = request_review(client, mentorship.learner, item)
    assert response["Location"].endswith("#review")
    review = ProjectReview.objects.get()
    assert (review.evidence_url, review.status) == ("https://github.com/a/b", ProjectReview.Status.REQUESTED)


def test_an_invalid_evidence_link_is_refused_and_writes_nothing(client):
    mentorship, item = project_setup()
    response = request_review(client, mentorship.learner, item, url="javascript:alert(1)")
    assert not ProjectReview.objects.exists()
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("not sent" in m for m in messages)


def test_a_second_request_while_one_is_open_is_refused(client):
    mentorship, item = project_setup()
    request_review(client, mentorship.learner, item)
    request_review(client, mentorship.learner, item)
    assert ProjectReview.objects.count() == 1


def test_the_database_allows_only_one_open_review_per_step():
    review = ProjectReviewFactory()
    with pytest.raises(IntegrityError):
        ProjectReviewFactory(progress=review.progress)


def test_a_review_needs_an_active_mentor():
    learner = UserFactory()
    item = plan_for(learner, steps=0, project=True)[-1]
    with pytest.raises(MentoringError, match="Invite a mentor first"):
        review_request(progress=progress_on(learner, item), evidence_url="https://x.org")


def test_only_project_steps_can_be_reviewed(client):
    mentorship = ActiveMentorshipFactory()
    [skill_item] = plan_for(mentorship.learner, steps=1)
    response = request_review(client, mentorship.learner, skill_item)
    assert response.status_code == 404


def test_mentor_approves_and_the_learner_sees_the_approval(client):
    mentorship, item = project_setup()
    request_review(client, mentorship.learner, item)
    client.force_login(mentorship.mentor)
    client.post(step_url(mentorship, item, "mentee_review"), {"decision": "approve", "response": "Great"})
    review = ProjectReview.objects.get()
    assert (review.status, review.reviewer) == (ProjectReview.Status.APPROVED, mentorship.mentor)
    assert "Approved" in render_learner_step(mentorship.learner, item)


def test_requesting_changes_needs_a_comment(client):
    mentorship, item = project_setup()
    request_review(client, mentorship.learner, item)
    client.force_login(mentorship.mentor)
    response = client.post(
        step_url(mentorship, item, "mentee_review"), {"decision": "changes", "response": ""}
    )
    assert "Say what should change" in response.content.decode()
    assert ProjectReview.objects.get().status == ProjectReview.Status.REQUESTED


def test_a_new_request_after_changes_continues_the_same_thread(client):
    mentorship, item = project_setup()
    request_review(client, mentorship.learner, item)
    client.force_login(mentorship.mentor)
    client.post(step_url(mentorship, item, "mentee_review"), {"decision": "changes", "response": "Add tests"})
    request_review(client, mentorship.learner, item, url="https://github.com/a/b/tree/v2")
    reviews = list(ProjectReview.objects.order_by("requested_at", "id"))
    assert [r.status for r in reviews] == ["changes_requested", "requested"]
    assert reviews[0].progress_id == reviews[1].progress_id
    client.force_login(mentorship.mentor)
    page = client.get(step_url(mentorship, item)).content.decode()
    assert "Add tests" in page and "tree/v2" in page


def test_answering_twice_is_refused_with_a_message(client):
    mentorship, item = project_setup()
    request_review(client, mentorship.learner, item)
    client.force_login(mentorship.mentor)
    url = step_url(mentorship, item, "mentee_review")
    client.post(url, {"decision": "approve"})
    response = client.post(url, {"decision": "changes", "response": "Wait"}, follow=True)
    assert "no review waiting" in response.content.decode()
    assert ProjectReview.objects.get().status == ProjectReview.Status.APPROVED


def test_a_review_unanswered_for_14_days_is_flagged_to_the_learner():
    mentorship, item = project_setup()
    progress = progress_on(mentorship.learner, item)
    ProjectReviewFactory(progress=progress, requested_at=timezone.now() - timedelta(days=15))
    assert "Overdue" in render_learner_step(mentorship.learner, item)


def test_a_recent_review_request_is_not_flagged():
    mentorship, item = project_setup()
    ProjectReviewFactory(progress=progress_on(mentorship.learner, item), requested_at=timezone.now())
    html = render_learner_step(mentorship.learner, item)
    assert "Waiting for review" in html and "Overdue" not in html


def test_the_review_form_is_prefilled_with_the_last_evidence_link():
    mentorship, item = project_setup()
    ProjectReviewFactory(
        progress=progress_on(mentorship.learner, item),
        status=ProjectReview.Status.CHANGES_REQUESTED,
        evidence_url="https://github.com/me/first",
    )
    html = render_learner_step(mentorship.learner, item)
    assert re.search(r'name="evidence_url"[^>]*value="https://github.com/me/first"', html)
    assert "Ask for review again" in html


def test_the_review_form_comes_with_the_steps_evidence_attached():
    mentorship, item = project_setup()
    progress = progress_on(mentorship.learner, item)
    EvidenceLink.objects.create(progress=progress, url="https://github.com/a/first", label="First try")
    EvidenceLink.objects.create(progress=progress, url="https://github.com/a/final", label="Final repo")
    page = render_learner_step(mentorship.learner, item)
    assert 'value="https://github.com/a/final"' in page  # the newest link filled in
    assert '<option value="https://github.com/a/first">First try</option>' in page
