"""What a data export holds from moderation: flags you raised, decisions about you, appeals, rules accepted, notes."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext_lazy as _

from belong.accounts.export import CHUNK, exporter
from belong.accounts.models import User
from belong.core.models import ModerationEntry
from belong.moderation.models import Appeal, Flag, MemberNote, RuleAcceptance


def _rows(queryset: Any, *fields: str) -> Iterator[dict[str, Any]]:
    for row in (
        queryset.order_by("created_at" if "created_at" in fields else "accepted_at", "id")
        .values(*fields)
        .iterator(chunk_size=CHUNK)
    ):
        yield {name.replace("__", "_"): value for name, value in row.items()}


@exporter("flags", description=_("Posts you flagged for the moderators, with your reason."))
def flags(user: User) -> Iterator[dict[str, Any]]:
    return _rows(
        Flag.objects.filter(flagger=user),
        "id",
        "community__slug",
        "post_id",
        "reason",
        "rule_title",
        "text",
        "created_at",
    )


@exporter(
    "moderation_record",
    description=_("What moderators did concerning you (hidden posts, warnings, suspensions…), with their reasons."),
)
def moderation_record(user: User) -> Iterator[dict[str, Any]]:
    return _rows(
        ModerationEntry.objects.filter(subject=user), "id", "community__slug", "action", "reason", "data", "created_at"
    )


@exporter("appeals", description=_("Your appeals against moderators' decisions, and their answers."))
def appeals(user: User) -> Iterator[dict[str, Any]]:
    return _rows(
        Appeal.objects.filter(appellant=user),
        "id",
        "community__slug",
        "entry_id",
        "text",
        "state",
        "decision_reason",
        "decided_at",
        "created_at",
    )


@exporter("rules_accepted", description=_("When you accepted each community's rules."))
def rules_accepted(user: User) -> Iterator[dict[str, Any]]:
    return _rows(RuleAcceptance.objects.filter(user=user), "community__slug", "revision", "accepted_at", "id")


@exporter(
    "moderator_notes",
    description=_("Notes the moderators of a community keep about you (without who wrote them)."),
)
def moderator_notes(user: User) -> Iterator[dict[str, Any]]:
    return _rows(MemberNote.objects.filter(subject=user), "id", "community__slug", "body", "created_at")
