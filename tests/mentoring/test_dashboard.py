"""The mentor dashboard: each mentee's progress, stalled mentees, reviews waiting, filters, sorting, queries."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mentoring.models import ProjectReview
from roadmap.models import PlanItem, Progress
from tests.factories import ActiveMentorshipFactory, ProjectReviewFactory, StepCommentFactory, UserFactory
from tests.mentoring.helpers import dashboard_row, done, plan_for, progress_on

pytestmark = pytest.mark.django_db


def test_dashboard_shows_overall_percentage_and_steps_done_in_14_days(client):
    mentorship = ActiveMentorshipFactory()
    items = plan_for(mentorship.learner, steps=4)
    done(mentorship.learner, items[0], days_ago=1)
    done(mentorship.learner, items[1], days_ago=30)
    [row] = dashboard_row(client, mentorship.mentor)
    assert (row.percent, row.done_steps, row.total_steps, row.recent_done) == (50, 2, 4, 1)


def test_dashboard_percentage_counts_known_steps_and_leaves_skipped_out(client):
    mentorship = ActiveMentorshipFactory()
    items = plan_for(mentorship.learner, steps=4)
    PlanItem.objects.filter(pk=items[0].pk).update(known=True)
    skipped = progress_on(mentorship.learner, items[1])
    Progress.objects.filter(pk=skipped.pk).update(status=Progress.Status.SKIPPED)
    [row] = dashboard_row(client, mentorship.mentor)
    assert (row.done_steps, row.total_steps, row.percent) == (1, 3, 33)


def test_dashboard_flags_a_mentee_without_progress_for_the_stalled_days(client, settings):
    settings.STALLED_AFTER_DAYS = 10
    mentor = UserFactory()
    quiet = ActiveMentorshipFactory(mentor=mentor, learner=UserFactory(display_name="Quiet"))
    busy = ActiveMentorshipFactory(mentor=mentor, learner=UserFactory(display_name="Busy"))
    done(quiet.learner, plan_for(quiet.learner)[0], days_ago=11)
    done(busy.learner, plan_for(busy.learner)[0], days_ago=2)
    rows = {row.learner.display_name: row.stalled for row in dashboard_row(client, mentor)}
    assert rows == {"Quiet": True, "Busy": False}


def test_dashboard_counts_pending_review_requests(client):
    mentorship = ActiveMentorshipFactory()
    ProjectReviewFactory(progress__learner=mentorship.learner)
    ProjectReviewFactory(progress__learner=mentorship.learner, status=ProjectReview.Status.APPROVED)
    [row] = dashboard_row(client, mentorship.mentor)
    assert row.pending_reviews == 1


def test_dashboard_shows_projected_finish_behind_target(client):
    mentorship = ActiveMentorshipFactory()
    plan_for(mentorship.learner, steps=5)  # 50 hours at 10 a week: five weeks
    mentorship.learner.profile.target_date = timezone.now().date() + timedelta(weeks=2)
    mentorship.learner.profile.save()
    client.force_login(mentorship.mentor)
    response = client.get(reverse("mentoring:dashboard"))
    [row] = response.context["rows"]
    assert row.forecast.late
    assert "Behind target" in response.content.decode()


def test_dashboard_filters_stalled_mentees(client, settings):
    settings.STALLED_AFTER_DAYS = 10
    mentor = UserFactory()
    ActiveMentorshipFactory(
        mentor=mentor, learner=UserFactory(date_joined=timezone.now() - timedelta(days=40))
    )
    fresh = ActiveMentorshipFactory(mentor=mentor)
    client.force_login(mentor)
    rows = client.get(reverse("mentoring:dashboard"), {"show": "stalled"}).context["rows"]
    assert fresh not in rows and len(rows) == 1


def test_dashboard_searches_by_name(client):
    mentor = UserFactory()
    ActiveMentorshipFactory(mentor=mentor, learner=UserFactory(display_name="Ada"))
    ActiveMentorshipFactory(mentor=mentor, learner=UserFactory(display_name="Grace"))
    client.force_login(mentor)
    rows = client.get(reverse("mentoring:dashboard"), {"q": "grac"}).context["rows"]
    assert [row.learner.display_name for row in rows] == ["Grace"]


def test_dashboard_sorts_by_most_progress(client):
    mentor = UserFactory()
    for name, finished in (("Ada", 1), ("Bob", 3), ("Cy", 2)):
        mentorship = ActiveMentorshipFactory(mentor=mentor, learner=UserFactory(display_name=name))
        for item in plan_for(mentorship.learner, steps=3)[:finished]:
            done(mentorship.learner, item)
    client.force_login(mentor)
    rows = client.get(reverse("mentoring:dashboard"), {"sort": "progress"}).context["rows"]
    assert [row.learner.display_name for row in rows] == ["Bob", "Cy", "Ada"]


def test_dashboard_ignores_unknown_sort_and_says_so(client):
    mentorship = ActiveMentorshipFactory()
    client.force_login(mentorship.mentor)
    response = client.get(reverse("mentoring:dashboard"), {"sort": "password"})
    assert response.status_code == 200
    assert "were not understood" in response.content.decode()
    assert len(response.context["rows"]) == 1


def test_dashboard_query_count_is_the_same_for_1_and_200_mentees(client, django_assert_num_queries):
    mentor = UserFactory()
    first = ActiveMentorshipFactory(mentor=mentor)
    done(first.learner, plan_for(first.learner, project=True)[0])
    client.force_login(mentor)
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("mentoring:dashboard"))
    for mentorship in ActiveMentorshipFactory.create_batch(199, mentor=mentor):
        items = plan_for(mentorship.learner, steps=2, project=True)
        done(mentorship.learner, items[0])
        ProjectReviewFactory(progress=progress_on(mentorship.learner, items[-1]))
        StepCommentFactory(progress=Progress.objects.get(learner=mentorship.learner, status="done"))
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(reverse("mentoring:dashboard"))
    assert len(response.context["rows"]) == 50  # one page of the 200
    assert "1\u201350 of 200 mentees" in response.content.decode()


def test_the_dashboard_shows_mentees_a_page_at_a_time_keeping_the_sort(client):
    mentor = UserFactory()
    names = [f"Mentee {n:02d}" for n in range(55)]
    for name in names:
        ActiveMentorshipFactory(mentor=mentor, learner=UserFactory(display_name=name))
    client.force_login(mentor)
    url = reverse("mentoring:dashboard")
    first = client.get(url, {"sort": "name"})
    page = first.content.decode()
    assert [row.learner.display_name for row in first.context["rows"]] == names[:50]
    assert "1\u201350 of 55 mentees" in page
    assert 'href="?sort=name&amp;page=2" rel="next"' in page
    second = client.get(url, {"sort": "name", "page": "2"})
    assert [row.learner.display_name for row in second.context["rows"]] == names[50:]
    # A page past the end, or not a number, shows a page that exists.
    assert client.get(url, {"page": "99"}).context["rows"][-1].learner.display_name == names[-1]
    assert client.get(url, {"page": "x"}).status_code == 200
