"""Comments on a step: posting (sanitised Markdown, htmx), who may comment, unread counts and read markers."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from mentoring.models import CommentReadMarker, StepComment
from mentoring.selectors.comments import nav_unread
from mentoring.services import comment_add, comments_mark_seen
from tests.factories import ActiveMentorshipFactory, PlanItemFactory, UserFactory
from tests.mentoring.helpers import dashboard_row, plan_for, progress_on, render_learner_step, step_url

pytestmark = pytest.mark.django_db


def test_mentor_comments_on_a_step_and_the_text_is_sanitised_markdown(client):
    mentorship = ActiveMentorshipFactory()
    [item] = plan_for(mentorship.learner, steps=1)
    client.force_login(mentorship.mentor)
    body = "Try **this**: <script>alert(1)</script> [docs](javascript:alert(2))"
    client.post(step_url(mentorship, item, "mentee_comment"), {"body": body})
    comment = StepComment.objects.get()
    assert comment.author == mentorship.mentor
    page = client.get(step_url(mentorship, item)).content.decode()
    assert "<strong>this</strong>" in page
    assert "<script>alert(1)" not in page
    assert "javascript:alert" not in page


def test_an_empty_comment_is_refused_and_writes_nothing(client):
    mentorship = ActiveMentorshipFactory()
    [item] = plan_for(mentorship.learner, steps=1)
    client.force_login(mentorship.mentor)
    response = client.post(step_url(mentorship, item, "mentee_comment"), {"body": "   "})
    assert response.status_code == 200
    assert "This field is required" in response.content.decode()
    assert not StepComment.objects.exists()


def test_htmx_comment_returns_only_the_thread(client):
    mentorship = ActiveMentorshipFactory()
    [item] = plan_for(mentorship.learner, steps=1)
    client.force_login(mentorship.mentor)
    response = client.post(
        step_url(mentorship, item, "mentee_comment"), {"body": "Hello"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<section class="panel" id="comments"')
    assert "Hello" in html and "<header" not in html


def test_learner_replies_on_their_own_step(client):
    mentorship = ActiveMentorshipFactory()
    [item] = plan_for(mentorship.learner, steps=1)
    client.force_login(mentorship.learner)
    response = client.post(
        reverse("mentoring:step_comment", args=[item.kind, item.item.slug]), {"body": "Thanks!"}
    )
    assert response["Location"] == reverse("roadmap:step", args=[item.kind, item.item.slug]) + "#comments"
    assert StepComment.objects.get().author == mentorship.learner


def test_learner_cannot_comment_on_a_step_outside_their_plan(client):
    learner = UserFactory()
    plan_for(learner)
    other = PlanItemFactory()
    client.force_login(learner)
    response = client.post(
        reverse("mentoring:step_comment", args=[other.kind, other.item.slug]), {"body": "x"}
    )
    assert response.status_code == 404


def test_mentor_sees_unread_count_until_opening_the_step(client):
    mentorship = ActiveMentorshipFactory()
    [item] = plan_for(mentorship.learner, steps=1)
    progress = progress_on(mentorship.learner, item)
    comment_add(progress=progress, author=mentorship.learner, body="A question")
    assert dashboard_row(client, mentorship.mentor)[0].unread == 1
    client.get(step_url(mentorship, item))
    assert dashboard_row(client, mentorship.mentor)[0].unread == 0


def test_mentee_page_badges_the_step_with_unread_comments(client):
    mentorship = ActiveMentorshipFactory()
    [item] = plan_for(mentorship.learner, steps=1)
    comment_add(progress=progress_on(mentorship.learner, item), author=mentorship.learner, body="Q1")
    client.force_login(mentorship.mentor)
    page = client.get(reverse("mentoring:mentee", args=[mentorship.key])).content.decode()
    assert "1 unread" in page


def test_own_comments_never_count_as_unread(client):
    mentorship = ActiveMentorshipFactory()
    [item] = plan_for(mentorship.learner, steps=1)
    comment_add(progress=progress_on(mentorship.learner, item), author=mentorship.mentor, body="Hi")
    assert dashboard_row(client, mentorship.mentor)[0].unread == 0


def test_learner_sees_new_comments_once_then_they_count_as_read(client):
    mentorship = ActiveMentorshipFactory()
    [item] = plan_for(mentorship.learner, steps=1)
    progress = progress_on(mentorship.learner, item)
    comment_add(progress=progress, author=mentorship.mentor, body="Have a look at *this*")
    client.force_login(mentorship.learner)
    url = reverse("roadmap:step", args=[item.kind, item.item.slug])
    first = client.get(url).content.decode()
    assert "1 new" in first and "<em>this</em>" in first
    assert CommentReadMarker.objects.filter(user=mentorship.learner, progress=progress).exists()
    assert "1 new" not in client.get(url).content.decode()


def test_rendering_the_thread_marks_nothing_read_the_step_page_view_does():
    mentorship = ActiveMentorshipFactory()
    [item] = plan_for(mentorship.learner, steps=1)
    progress = progress_on(mentorship.learner, item)
    comment_add(progress=progress, author=mentorship.mentor, body="Have a look")
    assert "1 new" in render_learner_step(mentorship.learner, item)
    assert "1 new" in render_learner_step(mentorship.learner, item)
    assert not CommentReadMarker.objects.filter(user=mentorship.learner).exists()


def test_a_comment_posted_while_the_step_page_rendered_stays_unread():
    mentorship = ActiveMentorshipFactory()
    [item] = plan_for(mentorship.learner, steps=1)
    progress = progress_on(mentorship.learner, item)
    comment_add(progress=progress, author=mentorship.mentor, body="Shown on the page")
    seen_at = timezone.now()
    comment_add(progress=progress, author=mentorship.mentor, body="Posted a moment later")
    comments_mark_seen(user=mentorship.learner, progress=progress, seen_at=seen_at)
    assert nav_unread(user=mentorship.learner).own == 1


def test_learner_unread_badge_counts_mentors_comments(client):
    mentorship = ActiveMentorshipFactory()
    [item] = plan_for(mentorship.learner, steps=1)
    comment_add(progress=progress_on(mentorship.learner, item), author=mentorship.mentor, body="One")
    client.force_login(mentorship.learner)
    html = client.get(reverse("roadmap:plan")).content.decode()
    assert "1 unread comment from your mentors" in html


def test_learner_mentors_page_lists_steps_with_new_comments(client):
    mentorship = ActiveMentorshipFactory()
    [item] = plan_for(mentorship.learner, steps=1)
    comment_add(progress=progress_on(mentorship.learner, item), author=mentorship.mentor, body="One")
    client.force_login(mentorship.learner)
    page = client.get(reverse("mentoring:mentors")).content.decode()
    assert reverse("roadmap:step", args=[item.kind, item.item.slug]) + "#comments" in page
