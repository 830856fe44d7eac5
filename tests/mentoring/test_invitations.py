"""Mentoring invitations with consent: by e-mail and by link, accepting, declining, expiry, revoking."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail, signing
from django.db import IntegrityError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from mentoring.models import Mentorship
from mentoring.services import MentoringError, mentorship_invite
from tests.factories import PASSWORD, ActiveMentorshipFactory, MentorshipFactory, UserFactory
from tests.mentoring.helpers import invitation_url

pytestmark = pytest.mark.django_db


def assert_refused(client: Client, mentorship: Mentorship, reason: str) -> None:
    """The invitation page refuses the signed-in user saying `reason`, and accepting changes nothing."""
    response = client.get(invitation_url(mentorship))
    assert response.status_code == 403
    assert reason in response.content.decode()
    client.post(invitation_url(mentorship), {"decision": "accept"})
    mentorship.refresh_from_db()
    assert mentorship.status == Mentorship.Status.PENDING


def test_inviting_by_email_sends_a_signed_link_once_committed(client, django_capture_on_commit_callbacks):
    learner = UserFactory(display_name="Ada")
    client.force_login(learner)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("mentoring:mentor_invite"), {"email": "Grace@Example.com"})
    mentorship = Mentorship.objects.get(learner=learner)
    assert mentorship.invited_email == "grace@example.com"
    assert mentorship.status == Mentorship.Status.PENDING
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["grace@example.com"]
    # The sender's name is in the body only (a display name is user input: never in the subject).
    assert mail.outbox[0].subject == "You are invited to mentor a learner on Pathwise"
    assert "Ada (" in mail.outbox[0].body
    assert invitation_url(mentorship).split(":")[0] in mail.outbox[0].body


def test_invitation_email_has_a_plain_text_and_an_html_part(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        mentorship_invite(learner=UserFactory(), email="mentor@example.com")
    message = mail.outbox[0]
    assert message.alternatives[0].mimetype == "text/html"
    assert "Open the invitation" in message.alternatives[0].content


def test_invitation_email_is_not_sent_when_the_transaction_rolls_back(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        mentorship_invite(learner=UserFactory(), email="mentor@example.com")
    assert len(callbacks) == 1
    assert mail.outbox == []


def test_an_address_without_account_is_asked_to_sign_up_first(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        mentorship_invite(learner=UserFactory(), email="newcomer@example.com")
    assert "/accounts/signup/?next=%2Faccounts%2Finvitations%2F" in mail.outbox[0].body
    assert "do not have a Pathwise account yet" in mail.outbox[0].body


def test_an_existing_account_is_sent_straight_to_the_invitation(django_capture_on_commit_callbacks):
    UserFactory(email="known@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        mentorship_invite(learner=UserFactory(), email="known@example.com")
    assert "signup" not in mail.outbox[0].body


def test_new_mentor_signing_up_from_the_invitation_lands_on_it(client, django_capture_on_commit_callbacks):
    mentorship = MentorshipFactory(invited_email="newcomer@example.com")
    url = invitation_url(mentorship)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accounts:signup") + "?next=" + url,
            {
                "email": "newcomer@example.com",
                "display_name": "New",
                "password1": PASSWORD,
                "password2": PASSWORD,
            },
        )
    assert response.status_code == 302
    assert response["Location"] == url
    # The invitation link was mailed to this address: opening it proves the address.
    page = client.get(url).content.decode()
    assert f"{mentorship.learner} invites you to be their mentor" in page
    assert "Your address newcomer@example.com is confirmed" in page
    assert User.objects.get(email="newcomer@example.com").email_verified


def test_the_invitation_mail_signs_up_with_the_address_filled_in(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        mentorship_invite(learner=UserFactory(), email="newcomer@example.com")
    link = re.search(r"http://\S+/accounts/signup/\S+", mail.outbox[0].body)
    assert link is not None
    page = client.get(link.group(0).removeprefix(settings.SITE_URL)).content.decode()
    assert 'value="newcomer@example.com"' in page


def test_someone_else_signed_up_with_the_address_is_not_verified_by_a_link_invitation(client):
    mentorship = MentorshipFactory(channel=Mentorship.Channel.LINK, invited_email="")
    user = UserFactory(email="someone@example.com", email_verified_at=None)
    client.force_login(user)
    client.get(invitation_url(mentorship))
    user.refresh_from_db()
    assert not user.email_verified


def test_learner_cannot_invite_their_own_address(client):
    learner = UserFactory()
    client.force_login(learner)
    response = client.post(reverse("mentoring:mentor_invite"), {"email": learner.email}, follow=True)
    assert "You cannot be your own mentor" in response.content.decode()
    assert not Mentorship.objects.exists()


def test_an_invalid_address_is_refused_with_the_form_error(client):
    client.force_login(UserFactory())
    response = client.post(reverse("mentoring:mentor_invite"), {"email": "not-an-address"})
    assert response.status_code == 200
    assert "Enter a valid email address" in response.content.decode()
    assert not Mentorship.objects.exists()


def test_inviting_the_same_address_again_replaces_the_pending_invitation(django_capture_on_commit_callbacks):
    learner = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        first = mentorship_invite(learner=learner, email="m@example.com")
    two_hours_ago = timezone.now() - timedelta(hours=2)
    Mentorship.objects.filter(pk=first.pk).update(created_at=two_hours_ago, sent_at=two_hours_ago)
    with django_capture_on_commit_callbacks(execute=True):
        second = mentorship_invite(learner=learner, email="m@example.com")
    first.refresh_from_db()
    assert first.status == Mentorship.Status.REVOKED
    assert second.status == Mentorship.Status.PENDING
    assert len(mail.outbox) == 2


def test_resending_within_the_hour_is_refused(django_capture_on_commit_callbacks):
    learner = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        mentorship_invite(learner=learner, email="m@example.com")
    with pytest.raises(MentoringError, match="less than an hour ago"):
        mentorship_invite(learner=learner, email="m@example.com")
    assert len(mail.outbox) == 1


def test_invitation_emails_are_capped_per_day():
    learner = UserFactory()
    MentorshipFactory.create_batch(20, learner=learner, status=Mentorship.Status.REVOKED)
    with pytest.raises(MentoringError, match="many invitations today"):
        mentorship_invite(learner=learner, email="one-more@example.com")


def test_pending_invitations_are_capped():
    learner = UserFactory()
    MentorshipFactory.create_batch(10, learner=learner)
    with pytest.raises(MentoringError, match="open invitations"):
        mentorship_invite(learner=learner, email="eleventh@example.com")


def test_invite_link_is_shown_on_the_mentors_page(client):
    learner = UserFactory()
    client.force_login(learner)
    response = client.post(reverse("mentoring:mentor_invite_link"), follow=True)
    mentorship = Mentorship.objects.get(learner=learner, channel=Mentorship.Channel.LINK)
    assert "http://testserver" + invitation_url(mentorship).split(":")[0] in response.content.decode()


def test_mentor_accepts_an_email_invitation_and_lands_on_the_mentee(client):
    mentor = UserFactory(email="grace@example.com")
    mentorship = MentorshipFactory(invited_email="grace@example.com")
    client.force_login(mentor)
    response = client.post(invitation_url(mentorship), {"decision": "accept"})
    assert response["Location"] == reverse("mentoring:mentee", args=[mentorship.key])
    mentorship.refresh_from_db()
    assert (mentorship.status, mentorship.mentor) == (Mentorship.Status.ACTIVE, mentor)


def test_invitation_page_shows_who_invites(client):
    mentorship = MentorshipFactory(
        learner=UserFactory(display_name="Ada Lovelace"), invited_email="g@example.com"
    )
    client.force_login(UserFactory(email="g@example.com"))
    assert "Ada Lovelace invites you" in client.get(invitation_url(mentorship)).content.decode()


def test_mentor_declines_and_gets_no_access(client):
    mentor = UserFactory(email="grace@example.com")
    mentorship = MentorshipFactory(invited_email="grace@example.com")
    client.force_login(mentor)
    client.post(invitation_url(mentorship), {"decision": "decline"})
    mentorship.refresh_from_db()
    assert mentorship.status == Mentorship.Status.DECLINED
    assert client.get(reverse("mentoring:mentee", args=[mentorship.key])).status_code == 403


def test_an_email_invitation_cannot_be_accepted_by_another_account(client):
    mentorship = MentorshipFactory(invited_email="grace@example.com")
    client.force_login(UserFactory(email="someone-else@example.com"))
    assert_refused(client, mentorship, "sent to another e-mail address")


def test_invite_link_can_be_accepted_by_whoever_opens_it(client):
    mentorship = MentorshipFactory(channel=Mentorship.Channel.LINK, invited_email="")
    mentor = UserFactory()
    client.force_login(mentor)
    client.post(invitation_url(mentorship), {"decision": "accept"})
    mentorship.refresh_from_db()
    assert mentorship.mentor == mentor


def test_invite_link_works_only_once(client):
    mentorship = MentorshipFactory(channel=Mentorship.Channel.LINK, invited_email="")
    client.force_login(UserFactory())
    client.post(invitation_url(mentorship), {"decision": "accept"})
    client.force_login(UserFactory())
    response = client.get(invitation_url(mentorship))
    assert response.status_code == 410
    assert "no longer open" in response.content.decode()


def test_learner_cannot_accept_their_own_invite_link(client):
    mentorship = MentorshipFactory(channel=Mentorship.Channel.LINK, invited_email="")
    client.force_login(mentorship.learner)
    assert_refused(client, mentorship, "you cannot mentor yourself")


def test_an_already_active_pair_gets_a_clear_message(client):
    active = ActiveMentorshipFactory()
    second = MentorshipFactory(learner=active.learner, channel=Mentorship.Channel.LINK, invited_email="")
    client.force_login(active.mentor)
    response = client.post(invitation_url(second), {"decision": "accept"}, follow=True)
    assert f"You already mentor {active.learner}" in response.content.decode()
    second.refresh_from_db()
    assert second.status == Mentorship.Status.PENDING


def test_a_tampered_link_shows_a_clear_message(client):
    mentorship = MentorshipFactory(channel=Mentorship.Channel.LINK, invited_email="")
    client.force_login(UserFactory())
    response = client.get(invitation_url(mentorship)[:-3] + "xx/")
    assert response.status_code == 404
    assert "invitation link is not valid" in response.content.decode()


def test_an_expired_signature_shows_a_clear_message(client, settings):
    mentorship = MentorshipFactory(channel=Mentorship.Channel.LINK, invited_email="")
    token = signing.TimestampSigner(salt="pathwise.mentoring.invite").sign(mentorship.key)
    settings.MENTOR_INVITE_MAX_AGE_DAYS = 0
    client.force_login(UserFactory())
    response = client.get(reverse("mentoring:invitation", args=[token]))
    assert response.status_code == 410
    assert "has expired" in response.content.decode()


def test_an_old_invitation_expires_even_with_a_freshly_signed_link(client):
    mentorship = MentorshipFactory(
        channel=Mentorship.Channel.LINK, invited_email="", created_at=timezone.now() - timedelta(days=15)
    )
    client.force_login(UserFactory())
    response = client.post(invitation_url(mentorship), {"decision": "accept"})
    assert response.status_code == 410
    mentorship.refresh_from_db()
    assert mentorship.status == Mentorship.Status.PENDING


def test_anonymous_opening_an_invitation_is_sent_to_log_in_and_back(client):
    url = invitation_url(MentorshipFactory())
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login") + "?next=")


def test_revoking_hides_the_mentee_from_the_mentor_at_once(client):
    mentorship = ActiveMentorshipFactory()
    client.force_login(mentorship.learner)
    client.post(reverse("mentoring:mentor_revoke", args=[mentorship.key]))
    client.force_login(mentorship.mentor)
    assert str(mentorship.learner) not in client.get(reverse("mentoring:dashboard")).content.decode()
    assert client.get(reverse("mentoring:mentee", args=[mentorship.key])).status_code == 403


def test_withdrawing_an_invitation_kills_its_link(client):
    mentorship = MentorshipFactory(channel=Mentorship.Channel.LINK, invited_email="")
    client.force_login(mentorship.learner)
    client.post(reverse("mentoring:mentor_revoke", args=[mentorship.key]))
    client.force_login(UserFactory())
    assert client.get(invitation_url(mentorship)).status_code == 410


def test_mentor_stepping_down_loses_access(client):
    mentorship = ActiveMentorshipFactory()
    client.force_login(mentorship.mentor)
    client.post(reverse("mentoring:step_down", args=[mentorship.key]))
    mentorship.refresh_from_db()
    assert mentorship.status == Mentorship.Status.ENDED
    assert client.get(reverse("mentoring:mentee", args=[mentorship.key])).status_code == 403


def test_a_mentor_can_have_many_mentees_and_a_learner_several_mentors(client):
    mentor = UserFactory()
    first, second = ActiveMentorshipFactory.create_batch(2, mentor=mentor)
    other_mentor = ActiveMentorshipFactory(learner=first.learner)
    client.force_login(mentor)
    page = client.get(reverse("mentoring:dashboard")).content.decode()
    assert str(first.learner) in page and str(second.learner) in page
    client.force_login(first.learner)
    page = client.get(reverse("mentoring:mentors")).content.decode()
    assert str(mentor) in page and str(other_mentor.mentor) in page


def test_the_database_refuses_a_second_active_mentorship_of_the_same_pair():
    active = ActiveMentorshipFactory()
    with pytest.raises(IntegrityError):
        ActiveMentorshipFactory(learner=active.learner, mentor=active.mentor)


def test_dashboard_lists_invitations_waiting_for_the_mentor(client):
    mentorship = MentorshipFactory(learner=UserFactory(display_name="Ada"), invited_email="g@example.com")
    client.force_login(UserFactory(email="g@example.com"))
    page = client.get(reverse("mentoring:dashboard")).content.decode()
    assert "Answer Ada's invitation" in page
    assert invitation_url(mentorship).split(":")[0] in page  # the signature carries the second
