"""The calendar feed: a private subscription (RFC 5545) of study sessions and milestones."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from icalendar import Calendar
from pytest_django import DjangoAssertNumQueries

from accounts.models import User
from roadmap.models import Progress
from sharing.models import TOKEN_LENGTH
from sharing.selectors import shared_plan
from sharing.services import SharingError, sharing_for, study_sessions_set, token_regenerate

pytestmark = pytest.mark.django_db


def feed(client: Client, user: User) -> Calendar:
    response = client.get(reverse("sharing:feed", args=[sharing_for(learner=user).feed_token]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return Calendar.from_ical(response.content)


def events(cal: Calendar) -> dict[str, Any]:
    return {str(e["summary"]): e for e in cal.walk("VEVENT")}


def test_feed_holds_weekly_sessions_titled_with_the_next_step_in_the_learners_zone(learner: User) -> None:
    study_sessions_set(learner=learner, days=[0, 3], start=dt.time(18, 30), minutes=90)
    cal = feed(Client(), learner)
    plan = shared_plan(learner)
    assert plan is not None and plan.next_step is not None
    session = events(cal)[f"Study: {plan.next_step.name}"]
    assert session["rrule"]["FREQ"] == ["WEEKLY"]
    assert session["rrule"]["BYDAY"] == ["MO", "TH"]
    start = session["dtstart"].dt
    assert (start.hour, start.minute, str(start.tzinfo)) == (18, 30, "Europe/Paris")
    assert session["duration"].dt == dt.timedelta(minutes=90)
    assert [str(tz["tzid"]) for tz in cal.walk("VTIMEZONE")] == ["Europe/Paris"]


def test_next_weeks_sessions_are_in_the_feed(learner: User) -> None:
    study_sessions_set(learner=learner, days=[1], start=dt.time(7, 0), minutes=60)
    cal = feed(Client(), learner)
    today = dt.date.today()
    start = dt.datetime.combine(today + dt.timedelta(days=7 - today.weekday()), dt.time())  # next Monday
    session = next(e for e in cal.walk("VEVENT") if "rrule" in e)
    rule = session["rrule"].to_ical().decode()
    from dateutil.rrule import rrulestr

    first = session["dtstart"].dt
    days = rrulestr(rule, dtstart=first).between(
        start.replace(tzinfo=first.tzinfo), (start + dt.timedelta(days=7)).replace(tzinfo=first.tzinfo)
    )
    assert [d.weekday() for d in days] == [1]


def test_milestones_are_each_stages_projected_end_and_the_target(learner: User) -> None:
    cal = feed(Client(), learner)
    plan = shared_plan(learner)
    assert plan is not None
    found = {str(e["summary"]): e["dtstart"].dt for e in cal.walk("VEVENT")}
    assert found["Target date"] == learner.profile.target_date
    ends = [found[m.title] for m in plan.milestones() if m.stage is not None]
    assert ends == sorted(ends) and ends[-1] == plan.summary.projected_finish


def test_uids_stay_and_sequence_grows_when_the_plan_changes(learner: User) -> None:
    client = Client()
    before = {str(e["uid"]): int(e["sequence"]) for e in feed(client, learner).walk("VEVENT")}
    progress = Progress.objects.filter(learner=learner).order_by("id").first()
    assert progress is not None
    Progress.objects.filter(pk=progress.pk).update(
        status=Progress.Status.DONE, updated_at=progress.updated_at + dt.timedelta(hours=1)
    )
    after = {str(e["uid"]): int(e["sequence"]) for e in feed(client, learner).walk("VEVENT")}
    assert set(after) <= set(before) and after
    assert all(after[uid] > before[uid] for uid in after)


def test_regenerating_the_token_retires_the_old_address(learner: User) -> None:
    client = Client()
    old = sharing_for(learner=learner).feed_token
    new = token_regenerate(learner=learner, which="feed").feed_token
    assert len(new) >= TOKEN_LENGTH and new != old
    assert client.get(reverse("sharing:feed", args=[old])).status_code == 404
    assert client.get(reverse("sharing:feed", args=[new])).status_code == 200


@pytest.mark.parametrize(
    ("which", "route", "field"), [("feed", "feed", "feed_token"), ("card", "card", "card_token")]
)
def test_the_settings_page_renews_each_address_and_says_so(
    learner: User, which: str, route: str, field: str
) -> None:
    client = Client()
    client.force_login(learner)
    old = getattr(sharing_for(learner=learner), field)
    response = client.post(reverse(f"sharing:{which}_regenerate"), follow=True)
    new = getattr(sharing_for(learner=learner), field)
    assert new != old and "the old one no longer works" in response.content.decode()
    assert Client().get(reverse(f"sharing:{route}", args=[old])).status_code == 404
    with pytest.raises(SharingError):
        token_regenerate(learner=learner, which="password")


def test_a_guessed_token_finds_nothing(learner: User) -> None:
    assert Client().get(reverse("sharing:feed", args=["x" * 43])).status_code == 404


def test_the_feed_token_is_not_in_the_request_log(learner: User, caplog: pytest.LogCaptureFixture) -> None:
    token = sharing_for(learner=learner).feed_token
    with caplog.at_level(logging.INFO, logger="pathwise.access"):
        Client().get(reverse("sharing:feed", args=[token]))
    lines = [r for r in caplog.records if r.name == "pathwise.access"]
    assert lines
    assert all(token not in r.getMessage() and token not in str(r.__dict__) for r in lines)


def test_the_one_off_download_is_an_attachment(learner: User) -> None:
    client = Client()
    client.force_login(learner)
    response = client.get(reverse("sharing:calendar_download"))
    assert response["Content-Disposition"] == 'attachment; filename="pathwise-plan.ics"'
    assert Calendar.from_ical(response.content).walk("VEVENT")


def test_the_feed_answers_in_the_same_queries_whatever_the_plan(
    learner: User, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    token = sharing_for(learner=learner).feed_token
    client = Client()
    with django_assert_num_queries(3):
        client.get(reverse("sharing:feed", args=[token]))
