"""The mentee page starts with what changed since the mentor's last visit (steps finished, notes
shared, reviews waiting), then the roadmap folded by stage; the dashboard's table reads as cards on
a phone (every cell labelled)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from mentoring.models import Mentorship
from mentoring.services import mentee_visit_record
from roadmap.models import Progress
from tests.factories import ActiveMentorshipFactory, ProjectReviewFactory
from tests.mentoring.helpers import done, plan_for, progress_on

pytestmark = pytest.mark.django_db


def changes_section(page: str) -> str:
    start = page.index('aria-labelledby="changes-heading"')
    return page[start : page.index("</section>", start)]


def visit(client, mentorship: Mentorship) -> str:
    client.force_login(mentorship.mentor)
    return client.get(reverse("mentoring:mentee", args=[mentorship.key])).content.decode()


def test_changes_since_the_last_visit_come_first(client):
    mentorship = ActiveMentorshipFactory()
    old, new, noted, project = plan_for(mentorship.learner, steps=3, project=True)
    done(mentorship.learner, old, days_ago=10)
    mentee_visit_record(mentorship=mentorship, at=timezone.now() - timedelta(days=5))
    done(mentorship.learner, new)
    Progress.objects.filter(pk=progress_on(mentorship.learner, noted).pk).update(
        notes="Look", notes_shared=True, updated_at=timezone.now()
    )
    ProjectReviewFactory(progress=progress_on(mentorship.learner, project))

    page = visit(client, mentorship)
    section = changes_section(page)
    assert page.index("changes-heading") < page.index("roadmap-heading")
    assert "Since your last visit" in section
    assert str(new.item) in section and str(old.item) not in section  # finished before the last visit
    assert str(noted.item) in section  # the note shared since
    assert str(project.item) in section and "Reviews waiting for you" in section


def test_a_reload_within_the_visit_keeps_showing_the_same_changes(client):
    mentorship = ActiveMentorshipFactory()
    [item] = plan_for(mentorship.learner, steps=1)
    mentee_visit_record(mentorship=mentorship, at=timezone.now() - timedelta(days=2))
    done(mentorship.learner, item)
    assert str(item.item) in changes_section(visit(client, mentorship))
    assert str(item.item) in changes_section(visit(client, mentorship))


def test_the_next_visit_starts_from_the_end_of_this_one():
    mentorship = ActiveMentorshipFactory()
    now = timezone.now()
    assert mentee_visit_record(mentorship=mentorship, at=now - timedelta(days=3)) is None
    assert mentee_visit_record(mentorship=mentorship, at=now - timedelta(days=3, minutes=-10)) is None
    assert mentee_visit_record(mentorship=mentorship, at=now) == now - timedelta(days=3, minutes=-10)


def test_nothing_new_says_so(client):
    mentorship = ActiveMentorshipFactory()
    plan_for(mentorship.learner, steps=1)
    mentee_visit_record(mentorship=mentorship, at=timezone.now() - timedelta(days=2))
    assert "Nothing new" in changes_section(visit(client, mentorship))


def test_the_roadmap_is_folded_by_stage_with_the_current_stage_open(client):
    mentorship = ActiveMentorshipFactory()
    first, second = plan_for(mentorship.learner, steps=2)
    second.stage_index, second.stage_title = 1, "Second stage"
    second.save()
    done(mentorship.learner, first)
    page = visit(client, mentorship)
    folds = re.findall(r'<details class="stage-block fold"( open)?>\s*<summary><h3>([^<]+)</h3>', page)
    assert len(folds) == 2
    opened = [title for is_open, title in folds if is_open]
    assert opened == ["Second stage"]
    assert "1 of 1 done" in page


def test_ending_a_mentorship_asks_to_confirm_first(client):
    mentorship = ActiveMentorshipFactory()
    plan_for(mentorship.learner, steps=1)
    page = visit(client, mentorship)
    url = reverse("mentoring:step_down", args=[mentorship.key])
    assert f'href="{url}"' in page
    confirm = client.get(url)
    assert confirm.status_code == 200 and "Yes, step down" in confirm.content.decode()
    mentorship.refresh_from_db()
    assert mentorship.status == Mentorship.Status.ACTIVE  # asking changed nothing
    client.post(url)
    mentorship.refresh_from_db()
    assert mentorship.status == Mentorship.Status.ENDED


def test_the_learner_confirms_before_ending_too(client):
    mentorship = ActiveMentorshipFactory()
    client.force_login(mentorship.learner)
    url = reverse("mentoring:mentor_revoke", args=[mentorship.key])
    assert f'href="{url}"' in client.get(reverse("mentoring:mentors")).content.decode()
    confirm = client.get(url).content.decode()
    assert f"End your mentorship with {mentorship.mentor}?" in confirm
    client.post(url)
    mentorship.refresh_from_db()
    assert mentorship.status == Mentorship.Status.REVOKED


def test_every_dashboard_cell_is_labelled_for_the_phone_layout(client):
    mentorship = ActiveMentorshipFactory()
    plan_for(mentorship.learner, steps=1)
    client.force_login(mentorship.mentor)
    page = client.get(reverse("mentoring:dashboard")).content.decode()
    row = page[page.index("<tbody>") : page.index("</tbody>")]
    assert row.count("<td") == row.count("<td data-label=") + row.count('<td class="num" data-label=')
    assert 'data-label="Unread comments"' in row
