"""Moderation's background work: queueing insights' signals and telling members why."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from belong.core.models import ModerationEntry
from belong.core.tasks import retrying_task
from belong.moderation import actions
from belong.moderation.labels import action_label


@retrying_task()
def queue_signals(post_id: int, reasons: list[str]) -> int | None:
    item = actions.record_signals(post_id=post_id, reasons=reasons)
    return item.pk if item is not None else None


@retrying_task()
def tell_member(entry_id: int) -> bool:
    """E-mail the member an entry concerns, in their language, with a link to their record and its appeal."""
    entry = ModerationEntry.objects.select_related("community", "subject").filter(pk=entry_id).first()
    if entry is None or entry.subject is None or not entry.subject.email or not entry.subject.is_active:
        return False
    person = entry.subject
    url = settings.BELONG_BASE_URL + reverse("moderation:record", args=[entry.community.slug])
    with translation.override(person.locale or settings.LANGUAGE_CODE):
        subject = _("A moderator's decision in %(community)s") % {"community": entry.community.name}
        body = render_to_string(
            "moderation/email/decision.txt",
            {
                "entry": entry,
                "community": entry.community,
                "url": url,
                "person": person,
                "label": action_label(entry.action),
                "appealable": entry.action in actions.APPEALABLE,
            },
        )
    EmailMessage(subject, body, None, [person.email]).send()
    return True
