"""Receivers of the lower apps' signals, connected in MentoringConfig.ready()."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse

from accounts.models import User
from mentoring.selectors.invitations import mentors_only
from mentoring.services import comments_mark_seen
from roadmap.models import Progress


def step_comments_seen(
    sender: Any, *, learner: User, progress: Progress, viewed_at: dt.datetime, **kwargs: Any
) -> None:
    """The learner's step page showed the thread: what it flagged as new now counts as read."""
    comments_mark_seen(user=learner, progress=progress, seen_at=viewed_at)


def mentor_landing(sender: Any, *, user: Any, **kwargs: Any) -> str | None:
    """A mentor without a plan of their own lands on the dashboard, not on onboarding."""
    if isinstance(user, User) and mentors_only(user=user):
        return reverse("mentoring:dashboard")
    return None
