"""Progress belongs to the learner: shared across tracks, readiness, history, nothing lost, no duplicates."""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from django.db import connection
from django.db.models import ProtectedError
from django.test import Client
from django.urls import reverse

from accounts.models import User
from catalog.models import Skill
from roadmap.models import PlanItem, Progress, ProgressEvent
from roadmap.selectors import certification_readiness
from roadmap.services import progress_get_or_create, step_set_status
from tests.factories import SkillFactory, StaffUserFactory, UserFactory
from tests.plans import Catalog, onboard

Status = Progress.Status


def status_in_plan(user: User, skill: Skill) -> str:
    return Progress.objects.get(learner=user, skill=skill).status


# ---------------------------------------------------------------- one status per learner and item


def test_marking_git_done_in_one_track_shows_it_done_in_every_track(catalog: Catalog, client: Client) -> None:
    user = UserFactory()
    onboard(user, catalog.nlp)
    client.force_login(user)
    client.post(reverse("roadmap:step_status", args=["skill", "git"]), {"status": "done"})
    onboard(user, catalog.core)  # the core track holds Git too
    page = client.get(reverse("roadmap:plan")).content.decode()
    git_row = page[page.index('id="item-skill-git"') :].split("</li>")[0]
    assert (
        'value="done" id="item-skill-git-done" class="status-button status-button-done" aria-pressed="true"'
        in git_row
    )


# ---------------------------------------------------------------- status changes are rate-limited per learner


def click(client: Client, status: str, *, htmx: bool) -> Any:
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(
        reverse("roadmap:step_status", args=["skill", "git"]), {"status": status}, headers=headers
    )


@pytest.mark.parametrize("htmx", [True, False])
def test_too_many_status_changes_are_refused_with_a_clear_429(
    catalog: Catalog, client: Client, settings: Any, htmx: bool
) -> None:
    settings.STEP_STATUS_RATE = "4/m"
    user = UserFactory()
    onboard(user, catalog.nlp)
    client.force_login(user)
    for status in (Status.IN_PROGRESS, Status.DONE, Status.SKIPPED, Status.DONE):
        assert click(client, status, htmx=htmx).status_code in (200, 302)

    refused = click(client, Status.NOT_STARTED, htmx=htmx)

    assert refused.status_code == 429
    assert "Too many status changes in a short time. Wait a minute" in refused.content.decode()
    assert status_in_plan(user, catalog.git) == Status.DONE


def test_one_learners_fast_clicking_does_not_limit_another(
    catalog: Catalog, client: Client, settings: Any
) -> None:
    settings.STEP_STATUS_RATE = "2/m"
    alice, bob = UserFactory(), UserFactory()
    onboard(alice, catalog.nlp)
    onboard(bob, catalog.nlp)
    client.force_login(alice)
    for status in (Status.IN_PROGRESS, Status.DONE, Status.SKIPPED):
        click(client, status, htmx=True)
    client.force_login(bob)
    assert click(client, Status.DONE, htmx=True).status_code == 200
    assert status_in_plan(bob, catalog.git) == Status.DONE


def test_the_default_rate_allows_fast_clicking_through_a_plan(catalog: Catalog, client: Client) -> None:
    user = UserFactory()
    onboard(user, catalog.nlp)
    client.force_login(user)
    codes = {click(client, s, htmx=True).status_code for s in [Status.DONE, Status.IN_PROGRESS] * 30}
    assert codes == {200}


def test_a_status_change_is_recorded_in_the_history(catalog: Catalog) -> None:
    user = UserFactory()
    onboard(user, catalog.core)
    step_set_status(learner=user, kind="skill", item_id=catalog.git.pk, status=Status.IN_PROGRESS, by=user)
    step_set_status(learner=user, kind="skill", item_id=catalog.git.pk, status=Status.DONE, by=user)
    events = ProgressEvent.objects.filter(progress__learner=user).order_by("at", "id")
    assert [(e.from_status, e.to_status) for e in events] == [
        (Status.NOT_STARTED, Status.IN_PROGRESS),
        (Status.IN_PROGRESS, Status.DONE),
    ]


def test_setting_the_same_status_twice_records_it_once(catalog: Catalog) -> None:
    user = UserFactory()
    onboard(user, catalog.core)
    for _ in range(3):
        step_set_status(learner=user, kind="skill", item_id=catalog.git.pk, status=Status.DONE)
    assert ProgressEvent.objects.filter(progress__learner=user).count() == 1


def test_done_sets_completion_time_and_reopening_clears_it(catalog: Catalog) -> None:
    user = UserFactory()
    onboard(user, catalog.core)
    step_set_status(learner=user, kind="skill", item_id=catalog.git.pk, status=Status.DONE)
    done = Progress.objects.get(learner=user, skill=catalog.git)
    assert done.completed_at is not None and done.started_at is not None
    step_set_status(learner=user, kind="skill", item_id=catalog.git.pk, status=Status.IN_PROGRESS)
    reopened = Progress.objects.get(learner=user, skill=catalog.git)
    assert reopened.completed_at is None and reopened.started_at == done.started_at


def test_a_status_change_records_the_learners_last_activity(catalog: Catalog) -> None:
    user = UserFactory()
    onboard(user, catalog.core)
    step_set_status(learner=user, kind="skill", item_id=catalog.git.pk, status=Status.DONE)
    user.profile.refresh_from_db()
    assert user.profile.last_activity_at is not None


def test_progress_of_one_learner_does_not_show_for_another(catalog: Catalog) -> None:
    alice, bob = UserFactory(), UserFactory()
    onboard(alice, catalog.core)
    onboard(bob, catalog.core)
    step_set_status(learner=alice, kind="skill", item_id=catalog.git.pk, status=Status.DONE)
    assert status_in_plan(bob, catalog.git) == Status.NOT_STARTED


def test_a_change_from_a_stale_page_is_applied_to_the_current_status(catalog: Catalog) -> None:
    user = UserFactory()
    onboard(user, catalog.core)
    progress = Progress.objects.get(learner=user, skill=catalog.git)
    step_set_status(learner=user, kind="skill", item_id=catalog.git.pk, status=Status.IN_PROGRESS)
    # The page still showed "not started" when the learner clicked "done".
    stored = step_set_status(
        learner=user, kind="skill", item_id=catalog.git.pk, status=Status.DONE,
        seen=Status.NOT_STARTED, progress_id=progress.pk,
    )  # fmt: skip
    assert stored == Status.DONE
    assert_history_is_a_chain(Progress.objects.get(pk=progress.pk))


def test_the_one_update_path_sets_the_same_timestamps_as_the_locking_path(catalog: Catalog) -> None:
    user = UserFactory()
    onboard(user, catalog.core)
    for status in (Status.IN_PROGRESS, Status.DONE, Status.SKIPPED, Status.DONE, Status.NOT_STARTED):
        git = Progress.objects.get(learner=user, skill=catalog.git)
        step_set_status(
            learner=user,
            kind="skill",
            item_id=catalog.git.pk,
            status=status,
            seen=git.status,
            progress_id=git.pk,
        )
        step_set_status(learner=user, kind="skill", item_id=catalog.python.pk, status=status)
        git.refresh_from_db()
        python = Progress.objects.get(learner=user, skill=catalog.python)
        assert (git.status, git.started_at is None, git.completed_at is None) == (
            python.status,
            python.started_at is None,
            python.completed_at is None,
        )


# ---------------------------------------------------------------- certification readiness


def test_certification_readiness_is_the_share_of_validated_skills_done(catalog: Catalog) -> None:
    user = UserFactory()
    onboard(user, catalog.core)
    step_set_status(learner=user, kind="skill", item_id=catalog.numpy.pk, status=Status.DONE)
    (readiness,) = certification_readiness(plan=user.plan)
    assert readiness.certification == catalog.successor
    assert (readiness.ready, readiness.validated, readiness.percent) == (1, 2, 50)


def test_what_a_known_skill_needs_counts_as_known_for_readiness(catalog: Catalog) -> None:
    user = UserFactory()
    onboard(user, catalog.core, known=(catalog.pytorch,))  # PyTorch needs NumPy
    (readiness,) = certification_readiness(plan=user.plan)
    assert (readiness.ready, readiness.validated) == (2, 2)


def test_known_skills_count_towards_certification_readiness(catalog: Catalog) -> None:
    user = UserFactory()
    onboard(user, catalog.core, known=(catalog.numpy, catalog.pytorch))
    (readiness,) = certification_readiness(plan=user.plan)
    assert readiness.percent == 100


def test_skipped_skills_do_not_count_towards_readiness(catalog: Catalog) -> None:
    user = UserFactory()
    onboard(user, catalog.core)
    step_set_status(learner=user, kind="skill", item_id=catalog.numpy.pk, status=Status.SKIPPED)
    assert certification_readiness(plan=user.plan)[0].ready == 0


# ---------------------------------------------------------------- content edits never delete history


def test_deleting_a_skill_someone_has_progress_on_is_refused(catalog: Catalog) -> None:
    user = UserFactory()
    onboard(user, catalog.core)
    step_set_status(learner=user, kind="skill", item_id=catalog.git.pk, status=Status.DONE)
    with pytest.raises(ProtectedError):
        catalog.git.delete()


def test_admin_cannot_delete_a_skill_with_learner_history(catalog: Catalog, client: Client) -> None:
    user = UserFactory()
    onboard(user, catalog.core)
    step_set_status(learner=user, kind="skill", item_id=catalog.git.pk, status=Status.DONE)
    client.force_login(StaffUserFactory())
    response = client.post(reverse("admin:catalog_skill_delete", args=[catalog.git.pk]), {"post": "yes"})
    assert "Cannot delete" in response.content.decode()
    assert Skill.objects.filter(pk=catalog.git.pk).exists()
    assert status_in_plan(user, catalog.git) == Status.DONE


def test_deleting_a_track_keeps_learners_progress(catalog: Catalog, client: Client) -> None:
    user = UserFactory()
    onboard(user, catalog.core)
    step_set_status(learner=user, kind="skill", item_id=catalog.python.pk, status=Status.DONE)
    client.force_login(StaffUserFactory())
    client.post(reverse("admin:catalog_track_delete", args=[catalog.core.pk]), {"post": "yes"})
    assert not type(catalog.core).objects.filter(pk=catalog.core.pk).exists()
    assert status_in_plan(user, catalog.python) == Status.DONE
    assert ProgressEvent.objects.filter(progress__learner=user).count() == 1


def test_renaming_a_skill_keeps_learners_progress(catalog: Catalog, client: Client) -> None:
    user = UserFactory()
    onboard(user, catalog.core)
    step_set_status(learner=user, kind="skill", item_id=catalog.git.pk, status=Status.DONE)
    Skill.objects.filter(pk=catalog.git.pk).update(name="Git and GitHub")
    assert status_in_plan(user, catalog.git) == Status.DONE


# ---------------------------------------------------------------- no duplicates under concurrency

THREADS = 8


def in_parallel(work: Callable[[int], Any], count: int = THREADS) -> list[Any]:
    """Run work(i) for i in range(count) on as many threads, released together."""
    barrier = threading.Barrier(count)

    def run(i: int) -> Any:
        try:
            barrier.wait(timeout=10)
            return work(i)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(run, range(count)))


def logged_in_clients(user: User, count: int) -> list[Client]:
    """`count` browsers of one learner, each with its own session, for racing requests."""
    clients = [Client() for _ in range(count)]
    for client in clients:
        client.force_login(user)
    return clients


def assert_history_is_a_chain(progress: Progress) -> None:
    events = list(ProgressEvent.objects.filter(progress=progress).order_by("at", "id"))
    assert events, "no history recorded"
    assert events[0].from_status == Status.NOT_STARTED
    for before, after in itertools.pairwise(events):
        assert after.from_status == before.to_status
        assert after.from_status != after.to_status
    assert events[-1].to_status == progress.status


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_first_touches_create_one_progress_row() -> None:
    user, skill = UserFactory(), SkillFactory()
    ids = in_parallel(lambda i: progress_get_or_create(learner=user, kind="skill", item_id=skill.pk).pk)
    assert len(set(ids)) == 1
    assert Progress.objects.filter(learner=user, skill=skill).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_status_changes_make_one_row_and_a_consistent_history() -> None:
    user, skill = UserFactory(), SkillFactory()
    statuses = [Status.DONE, Status.IN_PROGRESS, Status.SKIPPED, Status.DONE] * 2
    in_parallel(
        lambda i: step_set_status(learner=user, kind="skill", item_id=skill.pk, status=statuses[i], by=user)
    )
    (progress,) = Progress.objects.filter(learner=user, skill=skill)
    assert_history_is_a_chain(progress)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_double_clicks_on_the_plan_page_record_one_change(catalog: Catalog) -> None:
    user = UserFactory()
    onboard(user, catalog.core)
    Progress.objects.filter(learner=user, skill=catalog.git).delete()  # the very first touch races too
    clients = logged_in_clients(user, THREADS)
    url = reverse("roadmap:step_status", args=["skill", "git"])
    codes = in_parallel(
        lambda i: clients[i].post(url, {"status": "done"}, HTTP_HX_REQUEST="true").status_code
    )
    assert codes == [200] * THREADS
    (progress,) = Progress.objects.filter(learner=user, skill=catalog.git)
    assert progress.status == Status.DONE
    assert ProgressEvent.objects.filter(progress=progress).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_clicks_on_different_statuses_keep_a_consistent_history(catalog: Catalog) -> None:
    user = UserFactory()
    onboard(user, catalog.core)
    clients = logged_in_clients(user, THREADS)
    url = reverse("roadmap:step_status", args=["skill", "git"])
    statuses = [Status.DONE, Status.IN_PROGRESS, Status.SKIPPED, Status.NOT_STARTED] * 2
    codes = in_parallel(
        lambda i: clients[i].post(url, {"status": statuses[i]}, HTTP_HX_REQUEST="true").status_code
    )
    assert codes == [200] * THREADS
    (progress,) = Progress.objects.filter(learner=user, skill=catalog.git)
    assert_history_is_a_chain(progress)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_double_submitted_settings_form_builds_one_plan(catalog: Catalog) -> None:
    user = UserFactory()
    onboard(user, catalog.core)
    clients = logged_in_clients(user, 4)
    form = {
        "background": "student",
        "tracks": [catalog.core.pk, catalog.nlp.pk],
        "hours_per_week": "8",
        "time_zone": "Europe/Berlin",
        "reminder_frequency": "weekly",
        "reminder_weekday": "0",
        "reminder_hour": "9",
    }
    codes = in_parallel(lambda i: clients[i].post(reverse("roadmap:settings"), form).status_code, count=4)
    assert codes == [302] * 4
    items = PlanItem.objects.filter(plan__learner=user)
    assert items.count() == 9
    assert sorted(items.values_list("position", flat=True)) == list(range(1, 10))
