"""Background work of the communities app: tasks take ids and are safe to run twice."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from belong.communities.models import Invitation
from belong.core.tasks import retrying_task


@retrying_task(max_attempts=5, base_delay=30)
def send_invitation_email(invitation_id: int) -> None:
    """E-mail an invitation once; a retry after a crash won't send it twice once it is marked sent."""
    with transaction.atomic():
        invitation = (
            # Lock only the invitation: PostgreSQL refuses FOR UPDATE on the outer join to a nullable inviter.
            Invitation.objects.select_for_update(of=("self",))
            .select_related("community", "inviter")
            .filter(pk=invitation_id)
            .first()
        )
        if invitation is None or invitation.emailed_at is not None or not invitation.is_usable:
            return
        with translation.override(settings.LANGUAGE_CODE):
            url = settings.BELONG_BASE_URL + reverse("communities:invitation", args=[invitation.token])
            subject = _("You are invited to join %(community)s") % {"community": invitation.community.name}
            body = render_to_string("communities/email/invitation.txt", {"invitation": invitation, "url": url})
        send_mail(subject, body, None, [invitation.email])
        invitation.emailed_at = timezone.now()
        invitation.save(update_fields=["emailed_at"])
