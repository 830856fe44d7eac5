"""Unsubscribing from reminders: a confirmation page, one-click POST without login or CSRF token, a tampered link."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from accounts.models import Profile
from reminders import tokens
from reminders.models import ReminderPreference
from tests.factories import ProfileFactory
from tests.reminders.helpers import Frequency, preference, settings_url


def unsubscribe_url(profile: Profile) -> str:
    return reverse("reminders:unsubscribe", args=[tokens.unsubscribe_token(user=profile.user)])


def test_unsubscribe_link_asks_for_a_confirmation_first(client: Client, learner_profile: Profile) -> None:

    response = client.get(unsubscribe_url(learner_profile))

    assert response.status_code == 200
    assert "Stop reminder e-mails?" in response.text and 'method="post"' in response.text
    assert preference(learner_profile).frequency == Frequency.WEEKLY


def test_one_click_post_unsubscribes_without_login_or_csrf_token(learner_profile: Profile) -> None:
    assert preference(learner_profile).next_reminder_at is not None
    client = Client(enforce_csrf_checks=True)

    response = client.post(
        unsubscribe_url(learner_profile),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 200
    assert "You are unsubscribed" in response.text
    assert preference(learner_profile).frequency == Frequency.OFF
    assert preference(learner_profile).next_reminder_at is None


def test_a_tampered_unsubscribe_link_is_refused_and_changes_nothing(
    client: Client, learner_profile: Profile
) -> None:
    other = ProfileFactory()
    token = tokens.unsubscribe_token(user=learner_profile.user)
    forged = token.replace(token.split(":")[0], tokens.unsubscribe_token(user=other.user).split(":")[0])

    for bad in (forged, token[:-2] + "xx", "nonsense"):
        response = client.post(reverse("reminders:unsubscribe", args=[bad]))
        assert response.status_code == 400
        assert "This unsubscribe link is not valid" in response.text

    assert set(ReminderPreference.objects.values_list("frequency", flat=True)) == {Frequency.WEEKLY}


def test_other_views_still_require_a_csrf_token(learner_profile: Profile) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(learner_profile.user)

    response = client.post(
        settings_url(), {"frequency": "off", "weekday": "0", "hour": "9", "time_zone": "UTC"}
    )

    assert response.status_code == 403
