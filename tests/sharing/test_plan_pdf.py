"""The plan's PDF, asked for with a POST and made by a task (in-process here, as under `make run`;
tests/sharing/test_plan_pdf_worker.py runs a real worker): the page shows it being prepared, then
offers it; only the one who asked downloads it; a stale one is made again."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from accounts.data import user_delete
from accounts.models import User
from roadmap.models import Progress
from sharing import pdf_views
from sharing.models import PlanPdf
from sharing.pdf import plan_version
from tests.factories import ActiveMentorshipFactory, UserFactory

pytestmark = pytest.mark.django_db


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def ask(client: Client, url: str, capture: Any, data: dict[str, str] | None = None) -> None:
    with capture(execute=True):  # the task is queued on commit and runs in-process (eager)
        response = client.post(url, data or {})
    assert response.status_code == 302 and response["Location"] == url


def test_the_learner_asks_for_the_pdf_and_downloads_it(
    learner: User, django_capture_on_commit_callbacks: Any
) -> None:
    client = logged_in(learner)
    page = client.get(reverse("sharing:plan_pdf")).content.decode()
    assert "Prepare the PDF" in page and "Download the PDF" not in page

    ask(client, reverse("sharing:plan_pdf"), django_capture_on_commit_callbacks, {"notes": "1"})

    page = client.get(reverse("sharing:plan_pdf")).content.decode()
    assert "Download the PDF" in page and "with your notes" in page
    response = client.get(reverse("sharing:plan_pdf_download"))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="pathwise-plan.pdf"'
    assert response.content.startswith(b"%PDF-")
    assert PlanPdf.objects.get().notes == "all"


def test_while_it_is_prepared_the_page_polls_and_refreshes_without_javascript(learner: User) -> None:
    client = logged_in(learner)
    client.post(reverse("sharing:plan_pdf"))  # its task waits for a commit that never comes here

    page = client.get(reverse("sharing:plan_pdf")).content.decode()
    assert "being prepared" in page
    assert 'hx-trigger="every 2s"' in page
    assert '<noscript><meta http-equiv="refresh" content="2"></noscript>' in page
    assert f'<a href="{reverse("sharing:plan_pdf")}">check again</a>' in page
    fragment = client.get(reverse("sharing:plan_pdf"), headers={"HX-Request": "true"}).content.decode()
    assert fragment.lstrip().startswith('<section id="pdf-state"') and "<html" not in fragment
    assert client.get(reverse("sharing:plan_pdf_download")).status_code == 404


def test_only_the_one_who_asked_downloads_it(learner: User, django_capture_on_commit_callbacks: Any) -> None:
    ask(logged_in(learner), reverse("sharing:plan_pdf"), django_capture_on_commit_callbacks)

    assert logged_in(UserFactory()).get(reverse("sharing:plan_pdf_download")).status_code == 404
    assert Client().get(reverse("sharing:plan_pdf_download")).status_code == 302  # to the log-in


def test_a_mentor_gets_their_own_copy_with_only_what_the_mentee_shares(
    learner: User, django_capture_on_commit_callbacks: Any
) -> None:
    mentorship = ActiveMentorshipFactory(learner=learner)
    mentor = logged_in(mentorship.mentor)
    url = reverse("sharing:mentee_plan_pdf", args=[mentorship.key])

    ask(mentor, url, django_capture_on_commit_callbacks, {"notes": "1"})  # a mentor cannot ask for all notes

    pdf = PlanPdf.objects.get()
    assert (pdf.requester, pdf.learner, pdf.notes) == (mentorship.mentor, learner, "shared")
    download = reverse("sharing:mentee_plan_pdf_download", args=[mentorship.key])
    assert mentor.get(download).content.startswith(b"%PDF-")
    assert logged_in(learner).get(reverse("sharing:plan_pdf_download")).status_code == 404  # not theirs
    assert logged_in(UserFactory()).get(download).status_code == 404
    assert logged_in(UserFactory()).post(url).status_code == 404


def test_a_stale_pdf_is_offered_again_and_made_again(
    learner: User, django_capture_on_commit_callbacks: Any
) -> None:
    client = logged_in(learner)
    url = reverse("sharing:plan_pdf")
    ask(client, url, django_capture_on_commit_callbacks)
    made = PlanPdf.objects.get()

    ask(client, url, django_capture_on_commit_callbacks)  # nothing changed: the same PDF, not made again
    assert PlanPdf.objects.get().made_at == made.made_at

    row = Progress.objects.filter(learner=learner).first()
    assert row is not None
    row.notes = "A new thought"
    row.save()
    ask(client, url, django_capture_on_commit_callbacks, {"notes": "1"})  # now with notes: made again
    again = PlanPdf.objects.get()
    assert again.pk == made.pk and again.made_at and made.made_at and again.made_at > made.made_at
    assert again.version != made.version


def test_asking_is_rate_limited(
    learner: User, django_capture_on_commit_callbacks: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pdf_views, "PDF_RATE", "1/h")
    client = logged_in(learner)
    url = reverse("sharing:plan_pdf")
    ask(client, url, django_capture_on_commit_callbacks)
    made = PlanPdf.objects.get().made_at

    ask(client, url, django_capture_on_commit_callbacks, {"notes": "1"})

    assert PlanPdf.objects.get().made_at == made
    assert "Too many PDFs in an hour" in client.get(url).content.decode()


def test_the_pdf_goes_with_either_account(learner: User, django_capture_on_commit_callbacks: Any) -> None:
    mentorship = ActiveMentorshipFactory(learner=learner)
    ask(logged_in(learner), reverse("sharing:plan_pdf"), django_capture_on_commit_callbacks)
    ask(
        logged_in(mentorship.mentor),
        reverse("sharing:mentee_plan_pdf", args=[mentorship.key]),
        django_capture_on_commit_callbacks,
    )
    assert PlanPdf.objects.count() == 2

    user_delete(user=mentorship.mentor)
    assert PlanPdf.objects.count() == 1
    user_delete(user=learner)
    assert not PlanPdf.objects.exists()


def test_a_pdf_goes_stale_when_the_learners_day_turns_not_the_servers(learner: User) -> None:
    """The PDF shows the projected finish from the learner's today: its fingerprint follows their
    date. UTC+14 and UTC-12 are never on the same date, so moving between them turns the day."""
    versions = []
    for zone in ("Pacific/Kiritimati", "Etc/GMT+12"):
        learner.profile.time_zone = zone
        learner.profile.save(update_fields=["time_zone"])
        versions.append(plan_version(learner=learner, notes="none"))
    assert versions[0] != versions[1]
