"""A step's page in the learner's plan: status, notes, evidence links, deliverables and history."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from catalog.models import Deliverable
from roadmap.markdown import render_markdown
from roadmap.models import NOTES_MAX_LENGTH, DeliverableCheck, EvidenceLink, PlanItem, Progress, ProgressEvent
from roadmap.services import (
    StepError,
    deliverable_set,
    evidence_add,
    evidence_remove,
    note_save,
    step_set_status,
)
from tests.factories import ProjectIdeaFactory, UserFactory
from tests.plans import Catalog, onboard

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def learner(catalog: Catalog, client: Client) -> User:
    for order, text in enumerate(["A trained model", "A README with results", "A demo notebook"]):
        Deliverable.objects.create(project=catalog.project, order=order, text=text)
    user = UserFactory(display_name="Ada")
    onboard(user, catalog.core)
    client.force_login(user)
    return user


def step(kind: str, slug: str, action: str = "") -> str:
    name = f"roadmap:step_{action}" if action else "roadmap:step"
    return reverse(name, kwargs={"kind": kind, "slug": slug})


def progress(user: User, kind: str, slug: str) -> Progress:
    return Progress.objects.get(learner=user, **{f"{kind}__slug": slug})


def messages_of(response: object) -> list[str]:
    return [str(m) for m in response.context["messages"]]


# ---------------------------------------------------------------- who may see a step


def test_anonymous_visitors_are_sent_to_log_in(client: Client, catalog: Catalog) -> None:
    for response in (client.get(step("skill", "numpy")), client.post(step("skill", "numpy", "notes"))):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


def test_a_step_outside_my_plan_is_not_found(client: Client, learner: User, catalog: Catalog) -> None:
    other = UserFactory()
    onboard(other, catalog.nlp)  # Transformers is in their plan, not in mine.
    assert client.get(step("skill", "transformers")).status_code == 404
    assert client.post(step("skill", "transformers", "notes"), {"notes": "x"}).status_code == 404
    assert not Progress.objects.filter(learner=learner, skill__slug="transformers").exists()


def test_an_unknown_kind_of_step_is_not_found(client: Client, learner: User) -> None:
    assert client.get("/plan/dataset/numpy/").status_code == 404


# ---------------------------------------------------------------- what the page shows


def test_the_page_shows_the_item_and_its_prerequisites_with_their_status(
    client: Client, learner: User, catalog: Catalog
) -> None:
    step_set_status(learner=learner, kind="skill", item_id=catalog.python.pk, status="done", by=learner)
    html = client.get(step("skill", "numpy")).content.decode()
    assert "<h1>NumPy</h1>" in html
    assert catalog.numpy.description in html
    prerequisites = html[html.index('id="prereq-heading"') :]
    assert re.search(
        r'href="/plan/skill/python/">Python</a>\s*<span class="status-pill status-pill-done">Done',
        prerequisites,
    )
    assert re.search(
        r'href="/plan/skill/linear-algebra/">Linear algebra</a>\s*<span class="status-pill status-pill-not_started">',
        prerequisites,
    )


def test_the_status_control_posts_to_the_plan_and_comes_back_here(
    client: Client, learner: User, catalog: Catalog
) -> None:
    html = client.get(step("skill", "numpy")).content.decode()
    assert f'action="{reverse("roadmap:step_status", args=["skill", "numpy"])}"' in html
    response = client.post(
        reverse("roadmap:step_status", args=["skill", "numpy"]),
        {"status": "in_progress", "next": step("skill", "numpy")},
    )
    assert response["Location"] == step("skill", "numpy")
    page = client.get(step("skill", "numpy")).content.decode()
    assert 'class="status-button status-button-in_progress" aria-pressed="true"' in page


def test_the_history_lists_status_changes_newest_first_with_who(
    client: Client, learner: User, catalog: Catalog
) -> None:
    for status in ("in_progress", "done"):
        step_set_status(learner=learner, kind="skill", item_id=catalog.git.pk, status=status, by=learner)
    html = client.get(step("skill", "git")).content.decode()
    history = html[html.index('id="history"') :]
    changes = re.findall(
        r'status-pill-(\w+)">[^<]+</span>\s*<span aria-hidden="true">→</span><span class="visually-hidden">to</span>\s*<span class="status-pill status-pill-(\w+)"',
        history,
    )
    assert changes == [("in_progress", "done"), ("not_started", "in_progress")]
    assert history.count("by you") == 2


def test_a_project_step_lists_its_deliverables_as_a_checklist(
    client: Client, learner: User, catalog: Catalog
) -> None:
    html = client.get(step("project", "image-classifier")).content.decode()
    assert html.count('class="check-button"') == 3
    assert "0 of 3 done" in html


# ---------------------------------------------------------------- notes


def test_notes_are_saved_and_shown_as_markdown(client: Client, learner: User) -> None:
    response = client.post(
        step("skill", "numpy", "notes"), {"notes": "Learned **broadcasting**.", "action": "save"}, follow=True
    )
    assert "Notes saved." in messages_of(response)
    assert progress(learner, "skill", "numpy").notes == "Learned **broadcasting**."
    assert "Learned <strong>broadcasting</strong>." in response.content.decode()


def test_notes_are_sanitised_no_raw_html_and_no_javascript_links(client: Client, learner: User) -> None:
    notes = (
        'Hi <script>alert("x")</script> [click](javascript:alert(1)) '
        '<a href="https://evil.example" onclick="evil()">raw</a> [ok](https://ok.example)'
    )
    client.post(step("skill", "numpy", "notes"), {"notes": notes})
    html = client.get(step("skill", "numpy")).content.decode()
    rendered = html[html.index('class="rendered-notes"') : html.index("notes-visibility")]
    # Raw HTML never passes: its tags are dropped, the text between them stays as plain text.
    assert "<script" not in rendered and "onclick" not in rendered and "evil.example" not in rendered
    assert "javascript:" not in rendered
    assert '<a href="https://ok.example" rel="nofollow noopener noreferrer">ok</a>' in rendered


def test_notes_are_private_until_shared(client: Client, learner: User) -> None:
    client.post(step("skill", "numpy", "notes"), {"notes": "Mine."})
    assert progress(learner, "skill", "numpy").notes_shared is False
    client.post(step("skill", "numpy", "notes"), {"notes": "Mine.", "notes_shared": "on"})
    assert progress(learner, "skill", "numpy").notes_shared is True


def test_preview_shows_rendered_notes_without_saving(client: Client, learner: User) -> None:
    response = client.post(
        step("skill", "numpy", "notes"), {"notes": "# Plan\n\n*soon*", "action": "preview"}, **HTMX
    )
    html = response.content.decode()
    assert "<h3>Plan</h3>" in html and "<em>soon</em>" in html
    assert "<html" not in html  # the fragment only
    assert progress(learner, "skill", "numpy").notes == ""


def test_saving_notes_with_htmx_swaps_only_the_notes_panel(client: Client, learner: User) -> None:
    html = client.post(step("skill", "numpy", "notes"), {"notes": "Done with it."}, **HTMX).content.decode()
    assert html.lstrip().startswith('<section class="panel" id="notes"')
    assert "Notes saved." in html and "<p>Done with it.</p>" in html


def test_notes_that_are_too_long_are_refused_and_nothing_is_written(client: Client, learner: User) -> None:
    response = client.post(step("skill", "numpy", "notes"), {"notes": "x" * 20_001})
    assert response.status_code == 400
    assert "at most 20000 characters" in response.content.decode()
    assert progress(learner, "skill", "numpy").notes == ""


# ---------------------------------------------------------------- evidence


def test_an_evidence_link_is_added_and_shown(client: Client, learner: User) -> None:
    response = client.post(
        step("skill", "numpy", "evidence_add"),
        {"url": "https://github.com/ada/numpy-drills", "label": "Drills"},
        follow=True,
    )
    assert "Link added." in messages_of(response)
    assert (
        '<a href="https://github.com/ada/numpy-drills" rel="nofollow noopener noreferrer" class="evidence-link">Drills</a>'
        in response.content.decode()
    )


@pytest.mark.parametrize("url", ["javascript:alert(1)", "ftp://files.example.com/x", "not a link", ""])
def test_an_invalid_evidence_link_is_refused_with_a_message_and_nothing_written(
    client: Client, learner: User, url: str
) -> None:
    response = client.post(step("skill", "numpy", "evidence_add"), {"url": url})
    assert response.status_code == 400
    assert any(m.startswith("The link was not added") for m in messages_of(response))
    assert not EvidenceLink.objects.exists()


def test_the_same_evidence_link_twice_is_refused(client: Client, learner: User) -> None:
    url = "https://example.com/write-up"
    client.post(step("skill", "numpy", "evidence_add"), {"url": url})
    response = client.post(step("skill", "numpy", "evidence_add"), {"url": url})
    assert response.status_code == 400
    assert "You have already added this link to this step." in response.content.decode()
    assert EvidenceLink.objects.count() == 1


def test_an_evidence_link_can_be_removed(client: Client, learner: User) -> None:
    client.post(step("skill", "numpy", "evidence_add"), {"url": "https://example.com/a"})
    link = EvidenceLink.objects.get()
    html = client.post(
        reverse("roadmap:step_evidence_remove", args=["skill", "numpy", link.pk]), **HTMX
    ).content.decode()
    assert "Link removed." in html
    assert not EvidenceLink.objects.exists()


def test_another_learners_evidence_cannot_be_removed(client: Client, learner: User, catalog: Catalog) -> None:
    other = UserFactory()
    onboard(other, catalog.core)
    theirs = EvidenceLink.objects.create(
        progress=progress(other, "skill", "numpy"), url="https://example.com/theirs"
    )
    client.post(reverse("roadmap:step_evidence_remove", args=["skill", "numpy", theirs.pk]))
    assert EvidenceLink.objects.filter(pk=theirs.pk).exists()


# ---------------------------------------------------------------- deliverables


def toggle(client: Client, deliverable: Deliverable, checked: str, **extra: str) -> object:
    url = reverse("roadmap:step_deliverable", args=["project", "image-classifier", deliverable.pk])
    return client.post(url, {"checked": checked}, **extra)


def test_a_deliverable_is_ticked_and_unticked_with_one_click(
    client: Client, learner: User, catalog: Catalog
) -> None:
    first = catalog.project.deliverables.first()
    assert first is not None
    html = toggle(client, first, "1", **HTMX).content.decode()
    assert "1 of 3 done" in html
    assert f'id="deliverable-{first.pk}" aria-pressed="true"' in html
    assert DeliverableCheck.objects.filter(deliverable=first).count() == 1
    toggle(client, first, "0")
    assert not DeliverableCheck.objects.exists()


def test_a_double_click_on_a_deliverable_ticks_it_once(
    client: Client, learner: User, catalog: Catalog
) -> None:
    first = catalog.project.deliverables.first()
    assert first is not None
    toggle(client, first, "1")
    toggle(client, first, "1")
    assert DeliverableCheck.objects.count() == 1


def test_another_projects_deliverable_is_not_found(client: Client, learner: User, catalog: Catalog) -> None:
    stranger = Deliverable.objects.create(project=ProjectIdeaFactory(), order=0, text="Elsewhere")
    assert toggle(client, stranger, "1").status_code == 404
    assert not DeliverableCheck.objects.exists()


# ---------------------------------------------------------------- query count


def test_the_step_page_query_count_does_not_grow_with_notes_evidence_or_history(
    client: Client, learner: User, catalog: Catalog
) -> None:
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(step("project", "image-classifier")).status_code == 200
        return len(captured)

    project = progress(learner, "project", "image-classifier")
    first = queries()
    for i in range(15):
        EvidenceLink.objects.create(progress=project, url=f"https://example.com/{i}")
        ProgressEvent.objects.create(
            progress=project, from_status="not_started", to_status="done", by=learner
        )
    for deliverable in catalog.project.deliverables.all():
        DeliverableCheck.objects.create(progress=project, deliverable=deliverable)
    project.notes = "Long notes.\n\n" * 200
    project.save()
    assert queries() == first


# ---------------------------------------------------------------- the Markdown renderer (shared with mentoring)


def test_markdown_headings_start_below_the_page_headings_and_never_skip_a_level() -> None:
    html = render_markdown("## Progress\n\n#### Detail\n\n# Next")
    assert re.findall(r"<(h\d)>", html) == ["h3", "h4", "h3"]


def test_markdown_drops_images_and_event_handlers_but_keeps_links_safe() -> None:
    html = render_markdown(
        '![x](https://tracker.example/p.png) <b onmouseover="x()">hi</b> <https://ok.example>'
    )
    assert "<img" not in html and "onmouseover" not in html
    assert '<a href="https://ok.example" rel="nofollow noopener noreferrer">https://ok.example</a>' in html


# ---------------------------------------------------------------- the step services


def plan_item(user: User, kind: str, slug: str) -> PlanItem:
    return PlanItem.objects.get(plan__learner=user, **{f"{kind}__slug": slug})


def test_the_evidence_service_refuses_a_link_no_browser_should_open(learner: User) -> None:
    item = plan_item(learner, "skill", "numpy")
    with pytest.raises(StepError, match="http:// or https://"):
        evidence_add(learner=learner, item=item, url="javascript:alert(1)")
    assert not EvidenceLink.objects.filter(progress__learner=learner).exists()


def test_a_learner_cannot_remove_someone_elses_link(catalog: Catalog, learner: User) -> None:
    other = UserFactory()
    onboard(other, catalog.core)
    theirs = evidence_add(learner=other, item=plan_item(other, "skill", "numpy"), url="https://example.com/x")
    assert not evidence_remove(
        learner=learner, item=plan_item(learner, "skill", "numpy"), evidence_id=theirs.pk
    )
    assert EvidenceLink.objects.filter(pk=theirs.pk).exists()


def test_a_deliverable_of_another_project_cannot_be_ticked(catalog: Catalog, learner: User) -> None:
    elsewhere = Deliverable.objects.create(project=ProjectIdeaFactory(), order=0, text="Someone else's")
    item = plan_item(learner, "project", catalog.project.slug)
    with pytest.raises(StepError):
        deliverable_set(learner=learner, item=item, deliverable=elsewhere, done=True)
    assert not DeliverableCheck.objects.filter(deliverable=elsewhere).exists()


def test_the_notes_service_refuses_notes_past_the_limit(learner: User) -> None:
    item = plan_item(learner, "skill", "numpy")
    with pytest.raises(StepError, match="at most"):
        note_save(learner=learner, item=item, notes="x" * (NOTES_MAX_LENGTH + 1), shared=False)
    assert progress(learner, "skill", "numpy").notes == ""


def test_ticking_a_deliverable_starts_a_project_not_started_yet(
    client: Client, learner: User, catalog: Catalog
) -> None:
    first = catalog.project.deliverables.first()
    assert first is not None
    toggle(client, first, "1", **HTMX)
    row = progress(learner, "project", "image-classifier")
    assert row.status == Progress.Status.IN_PROGRESS
    assert ProgressEvent.objects.filter(progress=row, to_status=Progress.Status.IN_PROGRESS).count() == 1
    step_set_status(learner=learner, kind="project", item_id=row.project_id, status=Progress.Status.DONE)
    toggle(client, first, "0")
    toggle(client, first, "1")
    assert progress(learner, "project", "image-classifier").status == Progress.Status.DONE  # never moved back
