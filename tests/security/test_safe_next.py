"""Where a form sends the user next: back into the site only, and never a redirect Django refuses."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from roadmap.models import Progress
from tests.factories import UserFactory
from tests.plans import onboard, sample_catalog

TOO_LONG = "/plan/?x=" + "🔑" * 1366  # 12,000+ characters once percent-encoded; Django allows 2,048


@pytest.fixture
def learner(db: None, client: Client) -> User:
    catalog = sample_catalog()
    user = UserFactory()
    onboard(user, catalog.core)
    client.force_login(user)
    return user


def test_a_next_too_long_for_a_redirect_changes_the_status_and_returns_to_the_plan(
    learner: User, client: Client
) -> None:
    url = reverse("roadmap:step_status", args=["skill", "git"])
    response = client.post(url, {"status": "done", "next": TOO_LONG})
    assert response.status_code == 302
    assert response["Location"].startswith("/plan/?stage=")
    assert Progress.objects.get(learner=learner, skill__slug="git").status == "done"


def test_sign_up_with_a_next_too_long_for_a_redirect_lands_on_onboarding(db: None, client: Client) -> None:
    response = client.post(
        reverse("accounts:signup") + "?next=" + TOO_LONG,
        {
            "email": "new@example.com",
            "display_name": "New",
            "password1": "a-Long-pass-9",
            "password2": "a-Long-pass-9",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("roadmap:onboarding")
