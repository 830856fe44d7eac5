"""The plan as Markdown and PDF, the learner's and a mentor's copy (only what the mentee shares)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from roadmap.models import OwnStep, Progress
from tests.factories import ActiveMentorshipFactory, UserFactory

pytestmark = pytest.mark.django_db


def with_notes(learner: User) -> None:
    rows = list(Progress.objects.filter(learner=learner).order_by("id")[:2])
    rows[0].notes, rows[0].notes_shared = "Shared with mentors", True
    rows[1].notes, rows[1].notes_shared = "Only for me", False
    for row in rows:
        row.save()
    OwnStep.objects.create(learner=learner, title="Private reading", private=True)
    OwnStep.objects.create(learner=learner, title="Shared reading", private=False)


def test_the_learner_downloads_their_plan_as_markdown_with_the_notes_they_choose(learner: User) -> None:
    with_notes(learner)
    client = Client()
    client.force_login(learner)
    plain = client.get(reverse("sharing:plan_download", args=["md"]))
    assert plain["Content-Type"].startswith("text/markdown")
    text = plain.content.decode()
    assert text.startswith("# My plan") and "Projected finish" in text and "Target date" in text
    assert "Only for me" not in text
    noted = client.get(reverse("sharing:plan_download", args=["md"]) + "?notes=1").content.decode()
    assert "Only for me" in noted and "Shared with mentors" in noted


def test_the_pdf_link_leads_to_the_page_that_prepares_it(learner: User) -> None:
    client = Client()
    client.force_login(learner)
    response = client.get(reverse("sharing:plan_download", args=["pdf"]))
    assert response.status_code == 302 and response["Location"] == reverse("sharing:plan_pdf")


def test_a_mentor_downloads_only_what_the_mentee_shares(learner: User) -> None:
    with_notes(learner)
    mentorship = ActiveMentorshipFactory(learner=learner)
    client = Client()
    client.force_login(mentorship.mentor)
    text = client.get(reverse("sharing:mentee_plan_download", args=[mentorship.key, "md"])).content.decode()
    assert "Shared with mentors" in text and "Shared reading" in text
    assert "Only for me" not in text and "Private reading" not in text
    assert learner.email not in text


def test_someone_else_cannot_download_a_mentees_plan(learner: User) -> None:
    mentorship = ActiveMentorshipFactory(learner=learner)
    client = Client()
    client.force_login(UserFactory())
    assert client.get(reverse("sharing:mentee_plan_download", args=[mentorship.key, "md"])).status_code == 404


def test_an_unknown_format_is_not_found(learner: User) -> None:
    client = Client()
    client.force_login(learner)
    assert client.get(reverse("sharing:plan_download", args=["docx"])).status_code == 404
