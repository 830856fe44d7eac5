"""Mentoring: invitations with consent, the dashboard, a mentee's page, comments and project reviews."""

from __future__ import annotations

import io
import re
from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings
from django.core import mail, signing
from django.core.management import call_command
from django.db import IntegrityError, connection
from django.template import Context, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mentoring.models import CommentReadMarker, Mentorship, ProjectReview, StepComment
from mentoring.selectors.comments import learner_unread_count
from mentoring.services import (
    MentoringError,
    comment_add,
    comments_mark_seen,
    invite_path,
    mentorship_invite,
    review_request,
)
from roadmap.models import PlanItem, Progress
from tests.factories import (
    PASSWORD,
    ActiveMentorshipFactory,
    MentorshipFactory,
    PlanFactory,
    PlanItemFactory,
    ProfileFactory,
    ProgressFactory,
    ProjectIdeaFactory,
    ProjectReviewFactory,
    StepCommentFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_password_hashing(settings: Any) -> None:
    """Hundreds of users are created here; the real hasher would spend minutes on their passwords."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def plan_for(learner: Any, steps: int = 3, *, project: bool = False) -> list[PlanItem]:
    """A built plan for `learner` of `steps` skill items (plus one project item if asked)."""
    ProfileFactory(user=learner)
    plan = PlanFactory(learner=learner)
    items = PlanItemFactory.create_batch(steps, plan=plan)
    if project:
        items.append(PlanItemFactory(plan=plan, skill=None, project=ProjectIdeaFactory()))
    return items


def same_item(item: PlanItem) -> dict[str, Any]:
    """Factory arguments pointing a Progress at the catalog item of a plan item."""
    return {"skill": None, item.kind: item.item}


def done(learner: Any, item: PlanItem, *, days_ago: int = 0) -> Progress:
    at = timezone.now() - timedelta(days=days_ago)
    return ProgressFactory(
        learner=learner, status=Progress.Status.DONE, completed_at=at, updated_at=at, **same_item(item)
    )


def progress_on(learner: Any, item: PlanItem) -> Progress:
    return ProgressFactory(learner=learner, **same_item(item))


def invitation_url(mentorship: Mentorship) -> str:
    return invite_path(mentorship)


def step_url(mentorship: Mentorship, item: PlanItem, action: str = "mentee_step") -> str:
    return reverse(f"mentoring:{action}", args=[mentorship.key, item.kind, item.item.slug])


# ---------------------------------------------------------------- invitations


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
    # The address is not proven yet: the invitation waits for the link mailed at sign-up.
    assert "Verify your e-mail address first" in client.get(url).content.decode()
    verify_link = re.search(r"http://\S+/accounts/verify/\S+/", mail.outbox[-1].body)
    assert verify_link is not None
    client.get(verify_link.group(0).removeprefix(settings.SITE_URL))
    page = client.get(url)
    assert f"{mentorship.learner} invites you to be their mentor" in page.content.decode()


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
    response = client.get(invitation_url(mentorship))
    assert response.status_code == 403
    assert "sent to another e-mail address" in response.content.decode()
    client.post(invitation_url(mentorship), {"decision": "accept"})
    mentorship.refresh_from_db()
    assert mentorship.status == Mentorship.Status.PENDING


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
    response = client.get(invitation_url(mentorship))
    assert response.status_code == 403
    assert "you cannot mentor yourself" in response.content.decode()
    client.post(invitation_url(mentorship), {"decision": "accept"})
    mentorship.refresh_from_db()
    assert mentorship.status == Mentorship.Status.PENDING


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


# ---------------------------------------------------------------- the dashboard


def dashboard_row(client: Any, mentor: Any) -> Any:
    client.force_login(mentor)
    response = client.get(reverse("mentoring:dashboard"))
    return response.context["rows"]


def test_dashboard_shows_overall_percentage_and_steps_done_in_14_days(client):
    mentorship = ActiveMentorshipFactory()
    items = plan_for(mentorship.learner, steps=4)
    done(mentorship.learner, items[0], days_ago=1)
    done(mentorship.learner, items[1], days_ago=30)
    [row] = dashboard_row(client, mentorship.mentor)
    assert (row.percent, row.done_steps, row.total_steps, row.recent_done) == (50, 2, 4, 1)


def test_dashboard_percentage_counts_known_steps_and_leaves_skipped_out(client):
    mentorship = ActiveMentorshipFactory()
    items = plan_for(mentorship.learner, steps=4)
    PlanItem.objects.filter(pk=items[0].pk).update(known=True)
    skipped = progress_on(mentorship.learner, items[1])
    Progress.objects.filter(pk=skipped.pk).update(status=Progress.Status.SKIPPED)
    [row] = dashboard_row(client, mentorship.mentor)
    assert (row.done_steps, row.total_steps, row.percent) == (1, 3, 33)


def test_dashboard_flags_a_mentee_without_progress_for_the_stalled_days(client, settings):
    settings.STALLED_AFTER_DAYS = 10
    mentor = UserFactory()
    quiet = ActiveMentorshipFactory(mentor=mentor, learner=UserFactory(display_name="Quiet"))
    busy = ActiveMentorshipFactory(mentor=mentor, learner=UserFactory(display_name="Busy"))
    done(quiet.learner, plan_for(quiet.learner)[0], days_ago=11)
    done(busy.learner, plan_for(busy.learner)[0], days_ago=2)
    rows = {row.learner.display_name: row.stalled for row in dashboard_row(client, mentor)}
    assert rows == {"Quiet": True, "Busy": False}


def test_dashboard_counts_pending_review_requests(client):
    mentorship = ActiveMentorshipFactory()
    ProjectReviewFactory(progress__learner=mentorship.learner)
    ProjectReviewFactory(progress__learner=mentorship.learner, status=ProjectReview.Status.APPROVED)
    [row] = dashboard_row(client, mentorship.mentor)
    assert row.pending_reviews == 1


def test_dashboard_shows_projected_finish_behind_target(client):
    mentorship = ActiveMentorshipFactory()
    plan_for(mentorship.learner, steps=5)  # 50 hours at 10 a week: five weeks
    mentorship.learner.profile.target_date = timezone.now().date() + timedelta(weeks=2)
    mentorship.learner.profile.save()
    client.force_login(mentorship.mentor)
    response = client.get(reverse("mentoring:dashboard"))
    [row] = response.context["rows"]
    assert row.forecast.late
    assert "Behind target" in response.content.decode()


def test_dashboard_filters_stalled_mentees(client, settings):
    settings.STALLED_AFTER_DAYS = 10
    mentor = UserFactory()
    ActiveMentorshipFactory(
        mentor=mentor, learner=UserFactory(date_joined=timezone.now() - timedelta(days=40))
    )
    fresh = ActiveMentorshipFactory(mentor=mentor)
    client.force_login(mentor)
    rows = client.get(reverse("mentoring:dashboard"), {"show": "stalled"}).context["rows"]
    assert fresh not in rows and len(rows) == 1


def test_dashboard_searches_by_name(client):
    mentor = UserFactory()
    ActiveMentorshipFactory(mentor=mentor, learner=UserFactory(display_name="Ada"))
    ActiveMentorshipFactory(mentor=mentor, learner=UserFactory(display_name="Grace"))
    client.force_login(mentor)
    rows = client.get(reverse("mentoring:dashboard"), {"q": "grac"}).context["rows"]
    assert [row.learner.display_name for row in rows] == ["Grace"]


def test_dashboard_sorts_by_most_progress(client):
    mentor = UserFactory()
    for name, finished in (("Ada", 1), ("Bob", 3), ("Cy", 2)):
        mentorship = ActiveMentorshipFactory(mentor=mentor, learner=UserFactory(display_name=name))
        for item in plan_for(mentorship.learner, steps=3)[:finished]:
            done(mentorship.learner, item)
    client.force_login(mentor)
    rows = client.get(reverse("mentoring:dashboard"), {"sort": "progress"}).context["rows"]
    assert [row.learner.display_name for row in rows] == ["Bob", "Cy", "Ada"]


def test_dashboard_ignores_unknown_sort_and_says_so(client):
    mentorship = ActiveMentorshipFactory()
    client.force_login(mentorship.mentor)
    response = client.get(reverse("mentoring:dashboard"), {"sort": "password"})
    assert response.status_code == 200
    assert "were not understood" in response.content.decode()
    assert len(response.context["rows"]) == 1


def test_dashboard_query_count_is_the_same_for_1_and_200_mentees(client, django_assert_num_queries):
    mentor = UserFactory()
    first = ActiveMentorshipFactory(mentor=mentor)
    done(first.learner, plan_for(first.learner, project=True)[0])
    client.force_login(mentor)
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("mentoring:dashboard"))
    for mentorship in ActiveMentorshipFactory.create_batch(199, mentor=mentor):
        items = plan_for(mentorship.learner, steps=2, project=True)
        done(mentorship.learner, items[0])
        ProjectReviewFactory(progress=progress_on(mentorship.learner, items[-1]))
        StepCommentFactory(progress=Progress.objects.get(learner=mentorship.learner, status="done"))
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(reverse("mentoring:dashboard"))
    assert len(response.context["rows"]) == 200


# ---------------------------------------------------------------- a mentee's page


def test_mentee_page_shows_the_roadmap_read_only(client):
    mentorship = ActiveMentorshipFactory()
    items = plan_for(mentorship.learner, steps=2)
    done(mentorship.learner, items[0])
    client.force_login(mentorship.mentor)
    page = client.get(reverse("mentoring:mentee", args=[mentorship.key])).content.decode()
    assert str(items[0].item) in page and str(items[1].item) in page
    assert "Done" in page
    assert reverse("roadmap:step_status", args=[items[0].kind, items[0].item.slug]) not in page
    assert 'name="status"' not in page


def test_mentee_page_map_links_every_step_to_the_mentors_step_page(client):
    mentorship = ActiveMentorshipFactory()
    items = plan_for(mentorship.learner, steps=3)
    client.force_login(mentorship.mentor)
    page = client.get(reverse("mentoring:mentee", args=[mentorship.key])).content.decode()
    svg = page[page.index('<svg class="roadmap-map"') : page.index("</svg>", page.index("roadmap-map"))]
    for item in items:
        assert f'href="{step_url(mentorship, item)}"' in svg


def test_mentee_page_shows_shared_notes_only(client):
    mentorship = ActiveMentorshipFactory()
    shared, private = plan_for(mentorship.learner, steps=2)
    Progress.objects.filter(pk=progress_on(mentorship.learner, shared).pk).update(
        notes="Shared **thoughts**", notes_shared=True
    )
    Progress.objects.filter(pk=progress_on(mentorship.learner, private).pk).update(notes="My secret diary")
    client.force_login(mentorship.mentor)
    page = client.get(reverse("mentoring:mentee", args=[mentorship.key])).content.decode()
    assert "Shared <strong>thoughts</strong>" in page
    assert "secret diary" not in page


def test_private_notes_stay_hidden_on_the_mentee_step_page(client):
    mentorship = ActiveMentorshipFactory()
    [item] = plan_for(mentorship.learner, steps=1)
    Progress.objects.filter(pk=progress_on(mentorship.learner, item).pk).update(notes="My secret diary")
    client.force_login(mentorship.mentor)
    assert "secret diary" not in client.get(step_url(mentorship, item)).content.decode()


def test_mentee_page_query_count_does_not_grow_with_the_plan(client, django_assert_num_queries):
    mentorship = ActiveMentorshipFactory()
    items = plan_for(mentorship.learner, steps=3)
    StepCommentFactory(progress=done(mentorship.learner, items[0]), author=mentorship.learner)
    client.force_login(mentorship.mentor)
    url = reverse("mentoring:mentee", args=[mentorship.key])
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    more = PlanItemFactory.create_batch(60, plan=mentorship.learner.plan)
    for item in more[:30]:
        StepCommentFactory(progress=done(mentorship.learner, item), author=mentorship.learner)
    with django_assert_num_queries(len(small.captured_queries)):
        client.get(url)


def test_mentee_step_outside_the_plan_is_not_found(client):
    mentorship = ActiveMentorshipFactory()
    plan_for(mentorship.learner)
    stranger = PlanItemFactory()  # in someone else's plan
    client.force_login(mentorship.mentor)
    assert client.get(step_url(mentorship, stranger)).status_code == 404


# ---------------------------------------------------------------- comments


def test_mentor_comments_on_a_step_and_the_text_is_sanitised_markdown(client):
    mentorship = ActiveMentorshipFactory()
    [item] = plan_for(mentorship.learner, steps=1)
    client.force_login(mentorship.mentor)
    body = "Try **this**: <script>alert(1)</script> [docs](javascript:alert(2))"
    client.post(step_url(mentorship, item, "mentee_comment"), {"body": body})
    comment = StepComment.objects.get()
    assert comment.author == mentorship.mentor
    page = client.get(step_url(mentorship, item)).content.decode()
    assert "<strong>this</strong>" in page
    assert "<script>alert(1)" not in page
    assert "javascript:alert" not in page


def test_an_empty_comment_is_refused_and_writes_nothing(client):
    mentorship = ActiveMentorshipFactory()
    [item] = plan_for(mentorship.learner, steps=1)
    client.force_login(mentorship.mentor)
    response = client.post(step_url(mentorship, item, "mentee_comment"), {"body": "   "})
    assert response.status_code == 200
    assert "This field is required" in response.content.decode()
    assert not StepComment.objects.exists()


def test_htmx_comment_returns_only_the_thread(client):
    mentorship = ActiveMentorshipFactory()
    [item] = plan_for(mentorship.learner, steps=1)
    client.force_login(mentorship.mentor)
    response = client.post(
        step_url(mentorship, item, "mentee_comment"), {"body": "Hello"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<section class="panel" id="comments"')
    assert "Hello" in html and "<header" not in html


def test_learner_replies_on_their_own_step(client):
    mentorship = ActiveMentorshipFactory()
    [item] = plan_for(mentorship.learner, steps=1)
    client.force_login(mentorship.learner)
    response = client.post(
        reverse("mentoring:step_comment", args=[item.kind, item.item.slug]), {"body": "Thanks!"}
    )
    assert response["Location"] == reverse("roadmap:step", args=[item.kind, item.item.slug]) + "#comments"
    assert StepComment.objects.get().author == mentorship.learner


def test_learner_cannot_comment_on_a_step_outside_their_plan(client):
    learner = UserFactory()
    plan_for(learner)
    other = PlanItemFactory()
    client.force_login(learner)
    response = client.post(
        reverse("mentoring:step_comment", args=[other.kind, other.item.slug]), {"body": "x"}
    )
    assert response.status_code == 404


def test_mentor_sees_unread_count_until_opening_the_step(client):
    mentorship = ActiveMentorshipFactory()
    [item] = plan_for(mentorship.learner, steps=1)
    progress = progress_on(mentorship.learner, item)
    comment_add(progress=progress, author=mentorship.learner, body="A question")
    assert dashboard_row(client, mentorship.mentor)[0].unread == 1
    client.get(step_url(mentorship, item))
    assert dashboard_row(client, mentorship.mentor)[0].unread == 0


def test_mentee_page_badges_the_step_with_unread_comments(client):
    mentorship = ActiveMentorshipFactory()
    [item] = plan_for(mentorship.learner, steps=1)
    comment_add(progress=progress_on(mentorship.learner, item), author=mentorship.learner, body="Q1")
    client.force_login(mentorship.mentor)
    page = client.get(reverse("mentoring:mentee", args=[mentorship.key])).content.decode()
    assert "1 unread" in page


def test_own_comments_never_count_as_unread(client):
    mentorship = ActiveMentorshipFactory()
    [item] = plan_for(mentorship.learner, steps=1)
    comment_add(progress=progress_on(mentorship.learner, item), author=mentorship.mentor, body="Hi")
    assert dashboard_row(client, mentorship.mentor)[0].unread == 0


def render_learner_step(learner: Any, item: PlanItem) -> str:
    """The mentoring part of the learner's own step page, as the step template includes it."""
    request = RequestFactory().get("/")
    request.user = learner
    template = Template('{% include "mentoring/_step_mentoring.html" with kind=kind item=item %}')
    return template.render(Context({"request": request, "kind": item.kind, "item": item.item}))


def test_learner_sees_new_comments_once_then_they_count_as_read(client):
    mentorship = ActiveMentorshipFactory()
    [item] = plan_for(mentorship.learner, steps=1)
    progress = progress_on(mentorship.learner, item)
    comment_add(progress=progress, author=mentorship.mentor, body="Have a look at *this*")
    client.force_login(mentorship.learner)
    url = reverse("roadmap:step", args=[item.kind, item.item.slug])
    first = client.get(url).content.decode()
    assert "1 new" in first and "<em>this</em>" in first
    assert CommentReadMarker.objects.filter(user=mentorship.learner, progress=progress).exists()
    assert "1 new" not in client.get(url).content.decode()


def test_rendering_the_thread_marks_nothing_read_the_step_page_view_does():
    mentorship = ActiveMentorshipFactory()
    [item] = plan_for(mentorship.learner, steps=1)
    progress = progress_on(mentorship.learner, item)
    comment_add(progress=progress, author=mentorship.mentor, body="Have a look")
    assert "1 new" in render_learner_step(mentorship.learner, item)
    assert "1 new" in render_learner_step(mentorship.learner, item)
    assert not CommentReadMarker.objects.filter(user=mentorship.learner).exists()


def test_a_comment_posted_while_the_step_page_rendered_stays_unread():
    mentorship = ActiveMentorshipFactory()
    [item] = plan_for(mentorship.learner, steps=1)
    progress = progress_on(mentorship.learner, item)
    comment_add(progress=progress, author=mentorship.mentor, body="Shown on the page")
    seen_at = timezone.now()
    comment_add(progress=progress, author=mentorship.mentor, body="Posted a moment later")
    comments_mark_seen(user=mentorship.learner, progress=progress, seen_at=seen_at)
    assert learner_unread_count(learner=mentorship.learner) == 1


def test_learner_unread_badge_counts_mentors_comments():
    mentorship = ActiveMentorshipFactory()
    [item] = plan_for(mentorship.learner, steps=1)
    comment_add(progress=progress_on(mentorship.learner, item), author=mentorship.mentor, body="One")
    request = RequestFactory().get("/")
    request.user = mentorship.learner
    html = Template("{% load mentoring %}{% mentoring_unread_badge %}").render(Context({"request": request}))
    assert "1 unread comment from your mentors" in html


def test_learner_mentors_page_lists_steps_with_new_comments(client):
    mentorship = ActiveMentorshipFactory()
    [item] = plan_for(mentorship.learner, steps=1)
    comment_add(progress=progress_on(mentorship.learner, item), author=mentorship.mentor, body="One")
    client.force_login(mentorship.learner)
    page = client.get(reverse("mentoring:mentors")).content.decode()
    assert reverse("roadmap:step", args=[item.kind, item.item.slug]) + "#comments" in page


# ---------------------------------------------------------------- project reviews


def project_setup() -> tuple[Mentorship, PlanItem]:
    mentorship = ActiveMentorshipFactory()
    items = plan_for(mentorship.learner, steps=1, project=True)
    return mentorship, items[-1]


def request_review(client: Any, learner: Any, item: PlanItem, url: str = "https://github.com/a/b") -> Any:
    client.force_login(learner)
    return client.post(
        reverse("mentoring:step_review", args=[item.kind, item.item.slug]),
        {"evidence_url": url, "message": "Done!"},
    )


def test_learner_requests_a_review_with_an_evidence_link(client):
    mentorship, item = project_setup()
    response = request_review(client, mentorship.learner, item)
    assert response["Location"].endswith("#review")
    review = ProjectReview.objects.get()
    assert (review.evidence_url, review.status) == ("https://github.com/a/b", ProjectReview.Status.REQUESTED)


def test_an_invalid_evidence_link_is_refused_and_writes_nothing(client):
    mentorship, item = project_setup()
    response = request_review(client, mentorship.learner, item, url="javascript:alert(1)")
    assert not ProjectReview.objects.exists()
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("not sent" in m for m in messages)


def test_a_second_request_while_one_is_open_is_refused(client):
    mentorship, item = project_setup()
    request_review(client, mentorship.learner, item)
    request_review(client, mentorship.learner, item)
    assert ProjectReview.objects.count() == 1


def test_the_database_allows_only_one_open_review_per_step():
    review = ProjectReviewFactory()
    with pytest.raises(IntegrityError):
        ProjectReviewFactory(progress=review.progress)


def test_a_review_needs_an_active_mentor():
    learner = UserFactory()
    item = plan_for(learner, steps=0, project=True)[-1]
    with pytest.raises(MentoringError, match="Invite a mentor first"):
        review_request(progress=progress_on(learner, item), evidence_url="https://x.org")


def test_only_project_steps_can_be_reviewed(client):
    mentorship = ActiveMentorshipFactory()
    [skill_item] = plan_for(mentorship.learner, steps=1)
    response = request_review(client, mentorship.learner, skill_item)
    assert response.status_code == 404


def test_mentor_approves_and_the_learner_sees_the_approval(client):
    mentorship, item = project_setup()
    request_review(client, mentorship.learner, item)
    client.force_login(mentorship.mentor)
    client.post(step_url(mentorship, item, "mentee_review"), {"decision": "approve", "response": "Great"})
    review = ProjectReview.objects.get()
    assert (review.status, review.reviewer) == (ProjectReview.Status.APPROVED, mentorship.mentor)
    assert "Approved" in render_learner_step(mentorship.learner, item)


def test_requesting_changes_needs_a_comment(client):
    mentorship, item = project_setup()
    request_review(client, mentorship.learner, item)
    client.force_login(mentorship.mentor)
    response = client.post(
        step_url(mentorship, item, "mentee_review"), {"decision": "changes", "response": ""}
    )
    assert "Say what should change" in response.content.decode()
    assert ProjectReview.objects.get().status == ProjectReview.Status.REQUESTED


def test_a_new_request_after_changes_continues_the_same_thread(client):
    mentorship, item = project_setup()
    request_review(client, mentorship.learner, item)
    client.force_login(mentorship.mentor)
    client.post(step_url(mentorship, item, "mentee_review"), {"decision": "changes", "response": "Add tests"})
    request_review(client, mentorship.learner, item, url="https://github.com/a/b/tree/v2")
    reviews = list(ProjectReview.objects.order_by("requested_at", "id"))
    assert [r.status for r in reviews] == ["changes_requested", "requested"]
    assert reviews[0].progress_id == reviews[1].progress_id
    client.force_login(mentorship.mentor)
    page = client.get(step_url(mentorship, item)).content.decode()
    assert "Add tests" in page and "tree/v2" in page


def test_answering_twice_is_refused_with_a_message(client):
    mentorship, item = project_setup()
    request_review(client, mentorship.learner, item)
    client.force_login(mentorship.mentor)
    url = step_url(mentorship, item, "mentee_review")
    client.post(url, {"decision": "approve"})
    response = client.post(url, {"decision": "changes", "response": "Wait"}, follow=True)
    assert "no review waiting" in response.content.decode()
    assert ProjectReview.objects.get().status == ProjectReview.Status.APPROVED


def test_a_review_unanswered_for_14_days_is_flagged_to_the_learner():
    mentorship, item = project_setup()
    progress = progress_on(mentorship.learner, item)
    ProjectReviewFactory(progress=progress, requested_at=timezone.now() - timedelta(days=15))
    assert "Overdue" in render_learner_step(mentorship.learner, item)


def test_a_recent_review_request_is_not_flagged():
    mentorship, item = project_setup()
    ProjectReviewFactory(progress=progress_on(mentorship.learner, item), requested_at=timezone.now())
    html = render_learner_step(mentorship.learner, item)
    assert "Waiting for review" in html and "Overdue" not in html


def test_the_review_form_is_prefilled_with_the_last_evidence_link():
    mentorship, item = project_setup()
    ProjectReviewFactory(
        progress=progress_on(mentorship.learner, item),
        status=ProjectReview.Status.CHANGES_REQUESTED,
        evidence_url="https://github.com/me/first",
    )
    html = render_learner_step(mentorship.learner, item)
    assert re.search(r'name="evidence_url"[^>]*value="https://github.com/me/first"', html)
    assert "Ask for review again" in html


# ---------------------------------------------------------------- demo accounts


def test_demo_mentor_has_a_mentee_and_the_demo_learner_is_left_to_invite():
    call_command("create_demo_accounts", stdout=io.StringIO())
    mentorship = Mentorship.objects.get(mentor__email="mentor@pathwise.local")
    assert (mentorship.learner.email, mentorship.status) == (
        "mentee@pathwise.local",
        Mentorship.Status.ACTIVE,
    )
    assert not Mentorship.objects.filter(learner__email="learner@pathwise.local").exists()


def test_demo_accounts_do_not_relink_a_mentorship_the_demo_ended():
    call_command("create_demo_accounts", stdout=io.StringIO())
    Mentorship.objects.update(status=Mentorship.Status.REVOKED)
    call_command("create_demo_accounts", stdout=io.StringIO())
    assert not Mentorship.objects.filter(status=Mentorship.Status.ACTIVE).exists()
