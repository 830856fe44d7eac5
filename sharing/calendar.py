"""The learner's plan as an iCalendar (RFC 5545): weekly study sessions titled with the next step, and
milestones (each stage's projected end, the target date), in the learner's time zone."""

from __future__ import annotations

import datetime as dt
import hashlib

from django.conf import settings
from icalendar import Calendar, Event, vRecur

from accounts.models import zone_or_utc
from sharing.models import Sharing
from sharing.selectors import SharedPlan

RRULE_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
PRODID = "-//Pathwise//Study plan//EN"


def _host() -> str:
    return settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0] or "pathwise"


def _uid(sharing: Sharing, what: str) -> str:
    """Stable across rebuilds and edits (a calendar app updates the event rather than adding one), and
    says nothing of the learner or of the feed token."""
    digest = hashlib.sha256(f"{sharing.pk}:{what}".encode()).hexdigest()[:24]
    return f"{digest}@{_host()}"


def _sequence(*moments: dt.datetime | None) -> int:
    """RFC 5545 SEQUENCE: grows whenever the plan or the settings change (seconds since 2020)."""
    latest = max((m for m in moments if m is not None), default=None)
    return max(0, int((latest - dt.datetime(2020, 1, 1, tzinfo=dt.UTC)).total_seconds())) if latest else 0


def first_session(days: list[int], today: dt.date) -> dt.date:
    """The first chosen weekday from today on."""
    return min(today + dt.timedelta(days=(day - today.weekday()) % 7) for day in days)


def plan_calendar(*, sharing: Sharing, plan: SharedPlan | None, changed: dt.datetime | None) -> bytes:
    """The feed's body; `changed` is the last change of the plan's statuses or shape."""
    zone_name = plan.summary.pace.time_zone if plan else "UTC"
    zone = zone_or_utc(zone_name)
    stamp = max(filter(None, (changed, sharing.updated_at)))
    sequence = _sequence(changed, sharing.updated_at)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", "Pathwise study plan")
    cal.add("x-wr-timezone", zone.key)
    if plan is not None and sharing.session_days:
        step = plan.next_step
        start = dt.datetime.combine(
            first_session(sharing.session_days, plan.summary.today), sharing.session_start
        )
        event = Event()
        event.add("uid", _uid(sharing, "sessions"))
        event.add("dtstamp", stamp)
        event.add("sequence", sequence)
        event.add("summary", f"Study: {step.name}" if step else "Study session")
        event.add("dtstart", start.replace(tzinfo=zone))
        event.add("duration", dt.timedelta(minutes=sharing.session_minutes))
        event.add("rrule", vRecur(freq="WEEKLY", byday=[RRULE_DAYS[d] for d in sorted(sharing.session_days)]))
        if step:
            event.add("description", f"Next in your plan: {step.name} ({step.stage_title}).")
        cal.add_component(event)
    for milestone in plan.milestones() if plan else []:
        what = f"stage:{milestone.title}" if milestone.stage is not None else "target"
        event = Event()
        event.add("uid", _uid(sharing, what))
        event.add("dtstamp", stamp)
        event.add("sequence", sequence)
        event.add("summary", milestone.title)
        event.add("dtstart", milestone.day)
        event.add("dtend", milestone.day + dt.timedelta(days=1))
        event.add("transp", "TRANSPARENT")
        cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical()
