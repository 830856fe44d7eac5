"""{% job_focus %}: the plan page's "Focused on: <job> — N of M skills to go" with its remove button."""

from __future__ import annotations

from typing import Any

from django import template

from jobs.focus import focus_line

register = template.Library()


@register.inclusion_tag("jobs/_focus_line.html", takes_context=True)
def job_focus(context: dict[str, Any]) -> dict[str, Any]:
    request = context["request"]
    return {"line": focus_line(request.user), "csrf_token": context.get("csrf_token")}
