"""Step comments: deleting them (the learner on their own step, a mentor their own), the rate limit,
the paginated thread and the length caps of every text a learner or mentor writes."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from mentoring.models import COMMENT_MAX_LENGTH, Mentorship, ProjectReview, StepComment
from mentoring.selectors.comments import COMMENTS_PER_PAGE, nav_unread
from mentoring.selectors.mentees import mentee_rows
from mentoring.services import MentoringError, comment_add, comment_delete
from roadmap.models import NOTES_MAX_LENGTH, PlanItem, Progress
from tests.factories import (
    ActiveMentorshipFactory,
    PlanFactory,
    PlanItemFactory,
    ProfileFactory,
    ProgressFactory,
    ProjectIdeaFactory,
    StepCommentFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def mentored_step(*, project: bool = False) -> tuple[Mentorship, PlanItem, Progress]:
    mentorship = ActiveMentorshipFactory()
    ProfileFactory(user=mentorship.learner)
    plan = PlanFactory(learner=mentorship.learner)
    if project:
        item = PlanItemFactory(plan=plan, skill=None, project=ProjectIdeaFactory())
        progress = ProgressFactory(learner=mentorship.learner, skill=None, project=item.project)
    else:
        item = PlanItemFactory(plan=plan)
        progress = ProgressFactory(learner=mentorship.learner, skill=item.skill)
    return mentorship, item, progress


def learner_url(item: PlanItem, name: str = "step", **extra: Any) -> str:
    if name == "step":
        return reverse("roadmap:step", args=[item.kind, item.item.slug])
    return reverse(f"mentoring:{name}", kwargs={"kind": item.kind, "slug": item.item.slug, **extra})


def mentor_url(mentorship: Mentorship, item: PlanItem, name: str = "mentee_step", **extra: Any) -> str:
    kwargs = {"key": mentorship.key, "kind": item.kind, "slug": item.item.slug, **extra}
    return reverse(f"mentoring:{name}", kwargs=kwargs)


def login(client: Client, user: Any) -> Client:
    client.force_login(user)
    return client


# ---------------------------------------------------------------- deleting


def test_learner_deletes_a_mentors_comment_on_their_own_step(client: Client) -> None:
    mentorship, item, progress = mentored_step()
    comment = StepCommentFactory(progress=progress, author=mentorship.mentor, body="Unkind remark")
    login(client, mentorship.learner)
    page = client.get(learner_url(item)).content.decode()
    assert "Delete this comment for everyone?" in page and "Yes, delete it" in page
    response = client.post(learner_url(item, "step_comment_delete", pk=comment.pk))
    assert response.status_code == 302 and response["Location"].endswith("#comments")
    assert not StepComment.objects.filter(pk=comment.pk).exists()
    page = client.get(learner_url(item)).content.decode()
    assert "Comment deleted." in page and "Unkind remark" not in page


def test_learner_deleting_with_htmx_gets_the_thread_back(client: Client) -> None:
    mentorship, item, progress = mentored_step()
    mine = StepCommentFactory(progress=progress, author=mentorship.learner, body="Typo-ridden question")
    StepCommentFactory(progress=progress, author=mentorship.mentor, body="An answer")
    login(client, mentorship.learner)
    response = client.post(learner_url(item, "step_comment_delete", pk=mine.pk), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<section class="panel" id="comments"') and "<header" not in html
    assert "Comment deleted." in html and "An answer" in html and "Typo-ridden" not in html


def test_mentor_deletes_their_own_comment_with_and_without_htmx(client: Client) -> None:
    mentorship, item, progress = mentored_step()
    first, second = StepCommentFactory.create_batch(2, progress=progress, author=mentorship.mentor)
    login(client, mentorship.mentor)
    response = client.post(mentor_url(mentorship, item, "mentee_comment_delete", pk=first.pk))
    assert response.status_code == 302
    response = client.post(
        mentor_url(mentorship, item, "mentee_comment_delete", pk=second.pk), HTTP_HX_REQUEST="true"
    )
    assert "Comment deleted." in response.content.decode()
    assert not StepComment.objects.exists()


def test_mentor_cannot_delete_the_learners_comment_and_is_not_offered_to(client: Client) -> None:
    mentorship, item, progress = mentored_step()
    theirs = StepCommentFactory(progress=progress, author=mentorship.learner, body="My question")
    login(client, mentorship.mentor)
    assert "Yes, delete it" not in client.get(mentor_url(mentorship, item)).content.decode()
    response = client.post(mentor_url(mentorship, item, "mentee_comment_delete", pk=theirs.pk), follow=True)
    assert "not yours to delete" in response.content.decode()
    assert StepComment.objects.filter(pk=theirs.pk).exists()


def test_nobody_deletes_a_comment_on_someone_elses_step(client: Client) -> None:
    mentorship, item, progress = mentored_step()
    comment = StepCommentFactory(progress=progress, author=mentorship.mentor)
    # Another learner with the same step in their own plan, naming the comment by its id.
    other = UserFactory()
    PlanItemFactory(plan=PlanFactory(learner=other), skill=item.skill)
    login(client, other).post(learner_url(item, "step_comment_delete", pk=comment.pk))
    # Another learner's mentor, through their own mentorship.
    elsewhere = ActiveMentorshipFactory(mentor=UserFactory())
    PlanItemFactory(plan=PlanFactory(learner=elsewhere.learner), skill=item.skill)
    login(client, elsewhere.mentor).post(mentor_url(elsewhere, item, "mentee_comment_delete", pk=comment.pk))
    # The mentor once the learner has ended the mentorship.
    Mentorship.objects.filter(pk=mentorship.pk).update(status=Mentorship.Status.REVOKED)
    response = login(client, mentorship.mentor).post(
        mentor_url(mentorship, item, "mentee_comment_delete", pk=comment.pk)
    )
    assert response.status_code == 403
    assert StepComment.objects.filter(pk=comment.pk).exists()
    with pytest.raises(MentoringError):
        comment_delete(progress=progress, comment_id=comment.pk, by=mentorship.mentor)


def test_deleting_needs_a_post(client: Client) -> None:
    mentorship, item, progress = mentored_step()
    comment = StepCommentFactory(progress=progress, author=mentorship.learner)
    response = login(client, mentorship.learner).get(learner_url(item, "step_comment_delete", pk=comment.pk))
    assert response.status_code == 405
    assert StepComment.objects.filter(pk=comment.pk).exists()


def test_unread_counts_stay_right_after_a_deletion(client: Client) -> None:
    mentorship, item, progress = mentored_step()
    first, _second = StepCommentFactory.create_batch(2, progress=progress, author=mentorship.mentor)
    question = StepCommentFactory(progress=progress, author=mentorship.learner)
    assert nav_unread(user=mentorship.learner).own == 2
    assert mentee_rows(mentor=mentorship.mentor)[0].unread == 1

    login(client, mentorship.mentor).post(mentor_url(mentorship, item, "mentee_comment_delete", pk=first.pk))
    assert nav_unread(user=mentorship.learner).own == 1
    assert comment_delete(progress=progress, comment_id=question.pk, by=mentorship.learner)
    assert mentee_rows(mentor=mentorship.mentor)[0].unread == 0


# ---------------------------------------------------------------- the rate limit


def test_the_31st_comment_in_ten_minutes_is_refused_with_a_message(client: Client) -> None:
    mentorship, item, _progress = mentored_step()
    login(client, mentorship.learner)
    for n in range(30):
        client.post(learner_url(item, "step_comment"), {"body": f"Comment {n}"})
    response = client.post(learner_url(item, "step_comment"), {"body": "One too many"}, follow=True)
    assert response.status_code == 200
    assert "You have posted many comments in the last few minutes" in response.content.decode()
    assert StepComment.objects.count() == 30


def test_a_mentor_over_the_comment_limit_keeps_their_text_and_gets_no_error_page(client: Client) -> None:
    mentorship, item, _progress = mentored_step()
    login(client, mentorship.mentor)
    for n in range(30):
        client.post(mentor_url(mentorship, item, "mentee_comment"), {"body": f"Comment {n}"})
    response = client.post(mentor_url(mentorship, item, "mentee_comment"), {"body": "Keep this text"})
    assert response.status_code == 429
    html = response.content.decode()
    assert "You have posted many comments" in html and "Keep this text" in html
    htmx = client.post(
        mentor_url(mentorship, item, "mentee_comment"), {"body": "Again"}, HTTP_HX_REQUEST="true"
    )
    assert htmx.status_code == 200 and "You have posted many comments" in htmx.content.decode()
    assert StepComment.objects.count() == 30


# ---------------------------------------------------------------- the paginated thread


def test_a_long_thread_shows_the_newest_page_with_links_to_older_and_newer(client: Client) -> None:
    mentorship, item, progress = mentored_step()
    for n in range(2 * COMMENTS_PER_PAGE + 5):
        StepCommentFactory(progress=progress, author=mentorship.mentor, body=f"Comment number {n}.")
    login(client, mentorship.learner)
    newest = client.get(learner_url(item)).content.decode()
    assert "Comment number 44." in newest and "Comment number 25." in newest
    assert "Comment number 24." not in newest
    assert "?comments=2#comments" in newest and "Older comments" in newest and "Newer comments" not in newest
    oldest = client.get(learner_url(item) + "?comments=3").content.decode()
    assert (
        "Comment number 0." in oldest and "Comment number 4." in oldest and "Comment number 5." not in oldest
    )
    assert "Newer comments" in oldest and "Older comments" not in oldest
    # A page number out of range or garbage shows a page, never an error.
    assert client.get(learner_url(item) + "?comments=999").status_code == 200
    assert client.get(learner_url(item) + "?comments=abc").status_code == 200


def test_the_mentor_pages_through_the_thread_too(client: Client) -> None:
    mentorship, item, progress = mentored_step()
    for n in range(COMMENTS_PER_PAGE + 1):
        StepCommentFactory(progress=progress, author=mentorship.learner, body=f"Comment number {n}.")
    login(client, mentorship.mentor)
    older = client.get(mentor_url(mentorship, item) + "?comments=2").content.decode()
    assert "Comment number 0." in older and "Comment number 1." not in older and "Newer comments" in older


@pytest.mark.parametrize("side", ["learner", "mentor"])
def test_the_step_pages_query_count_does_not_grow_with_the_thread(
    client: Client, django_assert_num_queries: Any, django_assert_max_num_queries: Any, side: str
) -> None:
    mentorship, item, progress = mentored_step(project=True)
    url = learner_url(item) if side == "learner" else mentor_url(mentorship, item)
    login(client, mentorship.learner if side == "learner" else mentorship.mentor)
    StepCommentFactory.create_batch(3, progress=progress, author=mentorship.mentor)
    StepCommentFactory.create_batch(3, progress=progress, author=mentorship.learner)
    client.get(url)  # marks the thread read, as every later visit finds it
    with django_assert_max_num_queries(100) as short:
        client.get(url)
    queries = len(short.captured_queries)  # read now: later requests reset the connection's log
    StepCommentFactory.create_batch(60, progress=progress, author=mentorship.mentor)
    StepCommentFactory.create_batch(60, progress=progress, author=mentorship.learner)
    client.get(url)
    with django_assert_num_queries(queries):
        client.get(url)


# ---------------------------------------------------------------- length caps


def test_a_comment_over_the_limit_gets_a_clear_error_and_is_not_saved(client: Client) -> None:
    mentorship, item, _progress = mentored_step()
    login(client, mentorship.mentor)
    response = client.post(
        mentor_url(mentorship, item, "mentee_comment"), {"body": "x" * (COMMENT_MAX_LENGTH + 1)}
    )
    assert "at most 5000 characters are allowed and it has 5001" in response.content.decode()
    login(client, mentorship.learner)
    response = client.post(
        learner_url(item, "step_comment"), {"body": "x" * (COMMENT_MAX_LENGTH + 1)}, follow=True
    )
    assert "at most 5000 characters are allowed and it has 5001" in response.content.decode()
    assert not StepComment.objects.exists()


def test_notes_over_the_limit_get_a_clear_error_and_are_not_saved(client: Client) -> None:
    mentorship, item, progress = mentored_step()
    login(client, mentorship.learner)
    response = client.post(learner_url(item) + "notes/", {"notes": "x" * (NOTES_MAX_LENGTH + 1)})
    assert response.status_code == 400
    assert "at most 20000 characters are allowed and it has 20001" in response.content.decode()
    progress.refresh_from_db()
    assert progress.notes == ""


def test_review_texts_over_their_limits_are_refused(client: Client) -> None:
    mentorship, item, progress = mentored_step(project=True)
    login(client, mentorship.learner)
    response = client.post(
        learner_url(item, "step_review"),
        {"evidence_url": "https://github.com/a/b", "message": "x" * 2001},
        follow=True,
    )
    assert "at most 2000 characters are allowed" in response.content.decode()
    assert not ProjectReview.objects.exists()
    ProjectReview.objects.create(progress=progress, evidence_url="https://github.com/a/b")
    login(client, mentorship.mentor)
    response = client.post(
        mentor_url(mentorship, item, "mentee_review"), {"decision": "changes", "response": "x" * 5001}
    )
    assert "at most 5000 characters are allowed" in response.content.decode()
    assert ProjectReview.objects.get().status == ProjectReview.Status.REQUESTED


def test_services_refuse_texts_over_the_limits_whatever_the_caller() -> None:
    mentorship, _item, progress = mentored_step()
    with pytest.raises(MentoringError, match="at most 5,000 characters"):
        comment_add(progress=progress, author=mentorship.mentor, body="x" * (COMMENT_MAX_LENGTH + 1))
