"""Background work of the ideas app: e-mails, each sent once even when a task runs twice."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from belong.accounts.models import User
from belong.communities.models import Membership, MembershipState
from belong.core.tasks import retrying_task
from belong.ideas.models import BetaInvitation, BetaInvitationState, StatusChange


def _people_to_tell(change: StatusChange) -> Iterable[User]:
    """Voters and followers of the idea who are still active members, once each, but not the person who changed it."""
    thread_id = change.idea_id
    members = Membership.objects.filter(community_id=change.idea.community_id, state=MembershipState.ACTIVE)
    people = User.objects.filter(
        Q(idea_votes__idea_id=thread_id) | Q(follows__thread_id=thread_id),
        is_active=True,
        pk__in=members.values("user_id"),
    )
    if change.changed_by_id is not None:
        people = people.exclude(pk=change.changed_by_id)
    return people.exclude(email="").distinct().order_by("pk")


@retrying_task(max_attempts=5, base_delay=30)
def notify_status_change(change_id: int) -> int:
    """E-mail everyone who voted for or follows the idea about its new status; return how many."""
    with transaction.atomic():
        change = (
            StatusChange.objects.select_for_update(of=("self",))
            .select_related("idea__thread", "idea__community", "to_status", "from_status")
            .filter(pk=change_id)
            .first()
        )
        if change is None or change.notified_at is not None:
            return 0
        idea = change.idea
        url = settings.BELONG_BASE_URL + reverse("ideas:detail", args=[idea.community.slug, idea.pk])
        messages = []
        for person in _people_to_tell(change):
            with translation.override(person.locale or settings.LANGUAGE_CODE):
                subject = _("“%(idea)s” is now %(status)s") % {
                    "idea": idea.thread.title,
                    "status": change.to_status.label,
                }
                body = render_to_string("ideas/email/status_changed.txt", {"change": change, "idea": idea, "url": url})
            messages.append(EmailMessage(subject, body, None, [person.email]))
        get_connection().send_messages(messages)
        change.notified_at = timezone.now()
        change.save(update_fields=["notified_at"])
        return len(messages)


@retrying_task(max_attempts=5, base_delay=30)
def send_beta_invitation(invitation_id: int) -> None:
    """E-mail a beta invitation once, in the invitee's language."""
    with transaction.atomic():
        invitation = (
            BetaInvitation.objects.select_for_update(of=("self",))
            .select_related("group__community", "user", "invited_by")
            .filter(pk=invitation_id)
            .first()
        )
        if invitation is None or invitation.emailed_at is not None or invitation.state != BetaInvitationState.INVITED:
            return
        community = invitation.group.community
        url = settings.BELONG_BASE_URL + reverse("ideas:beta_invitation", args=[community.slug, invitation.pk])
        with translation.override(invitation.user.locale or settings.LANGUAGE_CODE):
            subject = _("You are invited into the private group “%(group)s”") % {"group": invitation.group.name}
            body = render_to_string("ideas/email/beta_invitation.txt", {"invitation": invitation, "url": url})
        if invitation.user.email:
            EmailMessage(subject, body, None, [invitation.user.email]).send()
        invitation.emailed_at = timezone.now()
        invitation.save(update_fields=["emailed_at"])
