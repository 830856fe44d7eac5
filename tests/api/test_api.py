"""The API as a learner, a mentor and a stranger see it: writes through the pages' services, a
mentee's data only while the mentorship is active, every error as problem details, list endpoints
in a fixed number of queries."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from api.services import token_create
from bench.api import LISTS
from mentoring.models import Mentorship
from roadmap.models import Progress, ProgressEvent
from tests.roles import MENTOR, OTHER_LEARNER, World

pytestmark = pytest.mark.django_db
PROBLEM = "application/problem+json"


def api_client(world: World, role: str = "learner", scope: str = "write") -> tuple[Client, dict[str, str]]:
    user = world.users[role]
    assert user is not None
    _, raw = token_create(user=user, name=f"{role} {scope}", scope=scope)
    return Client(), {"Authorization": f"Bearer {raw}"}


def put(client: Client, url: str, body: Any, headers: dict[str, str]) -> Any:
    return client.put(url, json.dumps(body), content_type="application/json", headers=headers)


def test_a_status_changed_through_the_api_shows_on_the_plan_page_with_its_history(world: World) -> None:
    client, headers = api_client(world)
    slug = world.catalog.project.slug

    response = put(client, f"/api/v1/me/steps/project/{slug}/status", {"status": "done"}, headers)

    assert response.status_code == 200
    assert response.json()["status"] == "done"
    progress = Progress.objects.get(learner=world.learner, project=world.catalog.project)
    assert progress.status == "done"
    assert ProgressEvent.objects.filter(progress=progress, to_status="done", by=world.learner).exists()
    plan = client.get("/api/v1/me/plan", headers=headers).json()
    assert next(i for i in plan["items"] if i["slug"] == slug)["status"] == "done"


def test_the_plan_gives_every_item_with_status_hours_week_and_why(world: World) -> None:
    client, headers = api_client(world, scope="read")

    plan = client.get("/api/v1/me/plan", headers=headers).json()

    assert plan["items"]
    assert {"status", "hours", "week", "why", "stage_title"} <= set(plan["items"][0])
    scheduled = [i for i in plan["items"] if i["lane"] == "scheduled"]
    assert plan["summary"]["steps"] == len(scheduled)


def test_a_note_written_through_the_api_is_saved_by_the_notes_service(world: World) -> None:
    client, headers = api_client(world)
    slug = world.catalog.project.slug

    response = put(
        client, f"/api/v1/me/steps/project/{slug}/note", {"notes": "  Done it.\r\n", "shared": True}, headers
    )

    assert response.status_code == 200
    progress = Progress.objects.get(learner=world.learner, project=world.catalog.project)
    assert (progress.notes, progress.notes_shared) == ("Done it.", True)


def test_a_step_not_in_my_plan_is_a_404_problem(world: World) -> None:
    client, headers = api_client(world)

    response = put(
        client, f"/api/v1/me/steps/skill/{world.other_skill_slug}/status", {"status": "done"}, headers
    )

    assert response.status_code == 404
    assert response["Content-Type"] == PROBLEM
    assert response.json()["detail"] == "This step is not in your plan."


def test_an_invalid_body_is_a_422_problem_naming_the_field(world: World) -> None:
    client, headers = api_client(world)
    slug = world.catalog.project.slug

    response = put(client, f"/api/v1/me/steps/project/{slug}/status", {"status": "finished"}, headers)

    assert response.status_code == 422
    assert response["Content-Type"] == PROBLEM
    assert response.json()["errors"][0]["loc"][-1] == "status"


def test_a_body_over_the_limit_is_refused_with_413(world: World, settings: Any) -> None:
    settings.API_MAX_BODY_BYTES = 1000
    client, headers = api_client(world)
    slug = world.catalog.project.slug

    response = put(client, f"/api/v1/me/steps/project/{slug}/note", {"notes": "x" * 2000}, headers)

    assert response.status_code == 413
    assert response["Content-Type"] == PROBLEM


def test_over_the_rate_the_token_gets_429_with_retry_after(world: World, settings: Any) -> None:
    settings.API_RATE = "2/m"
    client, headers = api_client(world, scope="read")

    answers = [client.get("/api/v1/me", headers=headers) for _ in range(3)]

    assert [a.status_code for a in answers] == [200, 200, 429]
    assert answers[-1]["Content-Type"] == PROBLEM
    assert int(answers[-1]["Retry-After"]) >= 1


def test_an_unknown_address_and_a_wrong_method_are_problems_too(world: World) -> None:
    client = Client()

    missing = client.get("/api/v1/no-such-thing")
    wrong = client.delete("/api/v1/catalog/tracks")

    assert (missing.status_code, missing["Content-Type"]) == (404, PROBLEM)
    assert (wrong.status_code, wrong["Content-Type"]) == (405, PROBLEM)


def test_the_session_works_with_csrf_as_usual(world: World) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.learner)
    url = f"/api/v1/me/steps/project/{world.catalog.project.slug}/status"
    assert client.get("/api/v1/me").status_code == 200

    refused = put(client, url, {"status": "done"}, {})
    client.get(reverse("accounts:profile"))  # sets the csrftoken cookie
    accepted = put(client, url, {"status": "done"}, {"X-CSRFToken": client.cookies["csrftoken"].value})

    assert (refused.status_code, refused["Content-Type"]) == (403, PROBLEM)
    assert accepted.status_code == 200


def test_a_session_form_post_is_a_problem_not_a_server_error(world: World) -> None:
    client = world.client("learner")

    response = client.post(f"/api/v1/me/steps/project/{world.catalog.project.slug}/comments", {"body": "x"})

    assert response.status_code in (400, 422)
    assert response["Content-Type"] == PROBLEM


def test_a_mentor_reads_the_mentees_plan_and_comments_on_a_step(world: World) -> None:
    client, headers = api_client(world, MENTOR)
    key = world.mentorship.key

    plan = client.get(f"/api/v1/mentees/{key}/plan", headers=headers)
    comment = client.post(
        f"/api/v1/mentees/{key}/steps/project/{world.catalog.project.slug}/comments",
        json.dumps({"body": "Nice work."}),
        content_type="application/json",
        headers=headers,
    )

    assert plan.status_code == 200 and plan.json()["count"] > 0
    assert comment.status_code == 201


def test_a_mentor_sees_only_shared_notes(world: World) -> None:
    client, headers = api_client(world, MENTOR)

    notes = client.get(f"/api/v1/mentees/{world.mentorship.key}/notes", headers=headers).json()

    assert "My private notes." not in json.dumps(notes)


def test_a_mentor_sees_nothing_after_the_mentorship_ends(world: World) -> None:
    client, headers = api_client(world, MENTOR)
    Mentorship.objects.filter(pk=world.mentorship.pk).update(status=Mentorship.Status.REVOKED)

    response = client.get(f"/api/v1/mentees/{world.mentorship.key}/plan", headers=headers)
    listed = client.get("/api/v1/mentees", headers=headers).json()

    assert response.status_code == 403
    assert listed["count"] == 0


def test_a_mentor_sees_nothing_before_consent(world: World) -> None:
    Mentorship.objects.filter(pk=world.mentorship.pk).update(status=Mentorship.Status.PENDING)
    client, headers = api_client(world, MENTOR)

    assert client.get(f"/api/v1/mentees/{world.mentorship.key}/plan", headers=headers).status_code == 403


def test_another_learner_cannot_reach_a_mentees_data(world: World) -> None:
    client, headers = api_client(world, OTHER_LEARNER)

    assert client.get(f"/api/v1/mentees/{world.mentorship.key}/plan", headers=headers).status_code == 404


def test_the_docs_page_is_served_from_our_own_static_files(world: World) -> None:
    page = Client().get("/api/v1/docs").text

    assert "/static/ninja/swagger-ui-bundle.js" in page
    assert "cdn" not in page.lower()
    description = Client().get("/api/v1/openapi.json").json()
    assert description["openapi"].startswith("3.1")


@pytest.mark.parametrize("url", LISTS)
def test_a_list_answers_in_the_same_queries_whatever_the_page_size(world: World, url: str) -> None:
    client, headers = api_client(world, "learner", scope="read")
    sep = "&" if "?" in url else "?"
    client.get(url, headers=headers)  # last_used_at written once
    counts = []
    for size in (1, 100):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"{url}{sep}page_size={size}", headers=headers).status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]
