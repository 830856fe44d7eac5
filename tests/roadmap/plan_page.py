"""Helpers of the plan page tests: fetching the page, changing a status, reading parts of the HTML."""

from __future__ import annotations

import re

from django.test import Client
from django.urls import reverse

from roadmap.models import Progress

Status = Progress.Status


HTMX = {"HTTP_HX_REQUEST": "true"}


PLAN = "/plan/"


def get(client: Client, url: str = PLAN, **params: str) -> str:
    response = client.get(url, params)
    assert response.status_code == 200
    return response.content.decode()


def set_status(client: Client, slug: str, status: str, kind: str = "skill", **extra: str) -> str:
    url = reverse("roadmap:step_status", args=[kind, slug])
    return client.post(url, {"status": status}, **extra).content.decode()


def overall_percent(html: str) -> int:
    match = re.search(r'id="overall-percent">(\d+)%<', html)
    assert match
    return int(match.group(1))


def pressed(html: str, row_id: str) -> str:
    match = re.search(rf'id="{row_id}-(\w+)" class="[^"]*" aria-pressed="true"', html)
    assert match
    return match.group(1)


def section(html: str, element_id: str) -> str:
    start = html.index(f'id="{element_id}"')
    return html[start : html.index("</section>", start)]
