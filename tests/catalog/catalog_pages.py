"""Helpers of the public catalog page tests: a page's text, a track of n steps."""

from __future__ import annotations

import datetime as dt

from django.test import Client
from django.urls import reverse

from catalog.models import Track
from tests.factories import (
    CertificationFactory,
    CourseFactory,
    ProjectIdeaFactory,
    StageFactory,
    StepFactory,
    TrackFactory,
)


def page(client: Client, name: str, *args: str, **params: str) -> str:
    response = client.get(reverse(name, args=args), params)
    assert response.status_code == 200
    return response.content.decode()


def build_track(steps: int) -> Track:
    """A track of three stages holding `steps` steps of every kind, some optional."""
    track = TrackFactory(name="Deep Track")
    stages = [StageFactory(track=track, order=i) for i in range(1, 4)]
    successor = CertificationFactory()
    for i in range(steps):
        stage = stages[i % 3]
        kind = i % 4
        if kind == 0:
            StepFactory(stage=stage, order=i)
        elif kind == 1:
            StepFactory(stage=stage, order=i, skill=None, course=CourseFactory())
        elif kind == 2:
            retired = CertificationFactory(
                status="retired", retired_on=dt.date(2024, 1, 1), successor=successor
            )
            StepFactory(stage=stage, order=i, skill=None, certification=retired, optional=True)
        else:
            StepFactory(stage=stage, order=i, skill=None, project=ProjectIdeaFactory())
    return track
