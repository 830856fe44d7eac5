"""`manage.py create_demo_accounts`: the demo learner, mentor and admin, with profiles; a second run keeps changed data."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from accounts.models import Profile, User

pytestmark = pytest.mark.django_db


def test_demo_accounts_are_created_with_profiles_and_printed() -> None:
    out = io.StringIO()

    call_command("create_demo_accounts", stdout=out)

    admin_user = User.objects.get(email="admin@pathwise.local")
    assert admin_user.is_superuser and admin_user.check_password("pathwise-admin")
    assert User.objects.get(email="learner@pathwise.local").check_password("pathwise-learner")
    assert User.objects.get(email="mentor@pathwise.local").check_password("pathwise-mentor")
    assert (
        Profile.objects.filter(user__email__endswith="@pathwise.local").count() == 5
    )  # + demo mentee and reviewer
    assert "mentor@pathwise.local" in out.getvalue() and "pathwise-mentor" in out.getvalue()


def test_running_demo_accounts_again_keeps_changed_data() -> None:
    call_command("create_demo_accounts", stdout=io.StringIO())
    learner = User.objects.get(email="learner@pathwise.local")
    learner.set_password("my-own-password-77")
    learner.display_name = "Ada"
    learner.save()

    call_command("create_demo_accounts", stdout=io.StringIO())

    learner.refresh_from_db()
    assert learner.check_password("my-own-password-77")
    assert learner.display_name == "Ada"
    assert User.objects.filter(email__endswith="@pathwise.local").count() == 5
