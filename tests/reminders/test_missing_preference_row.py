"""The reminder settings page for someone whose preference row is missing (made in bulk, say)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from reminders.models import ReminderPreference
from tests.factories import UserFactory


@pytest.mark.django_db
def test_the_reminder_page_works_for_a_user_without_a_preference_row(client: Client) -> None:
    user = UserFactory()
    ReminderPreference.objects.filter(user=user).delete()
    client.force_login(user)
    response = client.get(reverse("reminders:settings"))
    assert response.status_code == 200
    assert "Weekly" in response.content.decode()
    assert ReminderPreference.objects.filter(user=user).exists()
