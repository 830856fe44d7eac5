"""Mentoring views: the learner's side (learner.py: mentors, invitations and their answers, comments
and review requests on their own steps) and the mentor's (mentor.py: dashboard, mentee pages)."""

from __future__ import annotations

from typing import Any

from accounts.http import AuthenticatedHttpRequest
from accounts.models import User

# Comments per user, across every thread: enough for a lively conversation, not for a flood.
COMMENT_RATE = "30/10m"
TOO_MANY_COMMENTS = (
    "You have posted many comments in the last few minutes. Wait a few minutes, then post this one again."
)


def user_of(request: AuthenticatedHttpRequest) -> User:
    """The signed-in user; only the step fragments still call it (their rewrite, issue 10 point 10, drops it)."""
    return request.user


def form_errors(form: Any) -> str:
    return " ".join(str(error) for errors in form.errors.values() for error in errors)
