"""A mentee's page: the roadmap read-only, shared notes only, its step pages, a fixed query count."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from roadmap.models import Progress
from roadmap.services import step_set_status
from tests.factories import ActiveMentorshipFactory, PlanItemFactory, StepCommentFactory
from tests.mentoring.helpers import done, plan_for, progress_on, step_url

pytestmark = pytest.mark.django_db


def test_mentee_page_shows_the_roadmap_read_only(client):
    mentorship = ActiveMentorshipFactory()
    items = plan_for(mentorship.learner, steps=2)
    done(mentorship.learner, items[0])
    client.force_login(mentorship.mentor)
    page = client.get(reverse("mentoring:mentee", args=[mentorship.key])).content.decode()
    assert str(items[0].item) in page and str(items[1].item) in page
    assert "Done" in page
    assert reverse("roadmap:step_status", args=[items[0].kind, items[0].item.slug]) not in page
    assert 'name="status"' not in page


def test_mentee_page_map_links_every_step_to_the_mentors_step_page(client):
    mentorship = ActiveMentorshipFactory()
    items = plan_for(mentorship.learner, steps=3)
    client.force_login(mentorship.mentor)
    page = client.get(reverse("mentoring:mentee", args=[mentorship.key])).content.decode()
    svg = page[page.index('<svg class="roadmap-map"') : page.index("</svg>", page.index("roadmap-map"))]
    for item in items:
        assert f'href="{step_url(mentorship, item)}"' in svg


def test_mentee_page_shows_shared_notes_only(client):
    mentorship = ActiveMentorshipFactory()
    shared, private = plan_for(mentorship.learner, steps=2)
    Progress.objects.filter(pk=progress_on(mentorship.learner, shared).pk).update(
        notes="Shared **thoughts**", notes_shared=True
    )
    Progress.objects.filter(pk=progress_on(mentorship.learner, private).pk).update(notes="My secret diary")
    client.force_login(mentorship.mentor)
    page = client.get(reverse("mentoring:mentee", args=[mentorship.key])).content.decode()
    assert "Shared <strong>thoughts</strong>" in page
    assert "secret diary" not in page


def test_private_notes_stay_hidden_on_the_mentee_step_page(client):
    mentorship = ActiveMentorshipFactory()
    [item] = plan_for(mentorship.learner, steps=1)
    Progress.objects.filter(pk=progress_on(mentorship.learner, item).pk).update(notes="My secret diary")
    client.force_login(mentorship.mentor)
    assert "secret diary" not in client.get(step_url(mentorship, item)).content.decode()


def test_mentee_page_query_count_does_not_grow_with_the_plan(client, django_assert_num_queries):
    mentorship = ActiveMentorshipFactory()
    items = plan_for(mentorship.learner, steps=3)
    StepCommentFactory(progress=done(mentorship.learner, items[0]), author=mentorship.learner)
    client.force_login(mentorship.mentor)
    url = reverse("mentoring:mentee", args=[mentorship.key])
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    more = PlanItemFactory.create_batch(60, plan=mentorship.learner.plan)
    for item in more[:30]:
        StepCommentFactory(progress=done(mentorship.learner, item), author=mentorship.learner)
    with django_assert_num_queries(len(small.captured_queries)):
        client.get(url)


def test_mentee_step_outside_the_plan_is_not_found(client):
    mentorship = ActiveMentorshipFactory()
    plan_for(mentorship.learner)
    stranger = PlanItemFactory()  # in someone else's plan
    client.force_login(mentorship.mentor)
    assert client.get(step_url(mentorship, stranger)).status_code == 404


def test_the_mentee_page_keeps_the_plan_but_shows_every_change_at_once(client):
    """The second view reads the plan from the cache (fewer queries); a status change, a re-plan or
    a new comment shows on the very next view."""
    mentorship = ActiveMentorshipFactory()
    first, second = plan_for(mentorship.learner, steps=2)
    client.force_login(mentorship.mentor)
    url = reverse("mentoring:mentee", args=[mentorship.key])
    with CaptureQueriesContext(connection) as cold:
        client.get(url)
    with CaptureQueriesContext(connection) as warm:
        page = client.get(url).content.decode()
    assert len(warm.captured_queries) < len(cold.captured_queries)
    assert "0 of 2 done" in page

    step_set_status(learner=mentorship.learner, kind=first.kind, item_id=first.item.pk, status="done")
    page = client.get(url).content.decode()
    assert "1 of 2 done" in page

    StepCommentFactory(progress=progress_on(mentorship.learner, second), author=mentorship.learner)
    assert "1 unread" in client.get(url).content.decode()
