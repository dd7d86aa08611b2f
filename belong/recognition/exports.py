"""What a data export holds from recognition: the points ledger, totals, badges, celebrations, the programme, perks."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext_lazy as _

from belong.accounts.export import exporter, rows
from belong.accounts.models import User
from belong.recognition.models import (
    BadgeAward,
    Celebration,
    ExpertArea,
    Nomination,
    PerkCode,
    PointsBalance,
    PointsEntry,
)


@exporter(
    "points",
    description=_("Every line of your points ledger: points earned, reversed or given by a manager, and why."),
)
def points(user: User) -> Iterator[dict[str, Any]]:
    fields = (
        "id", "community__slug", "delta", "kind", "rule", "source", "reason", "space__slug", "reverses_id",
        "created_at",
    )  # fmt: skip
    values = PointsEntry.objects.filter(user=user).order_by("created_at", "id").values(*fields)
    return rows(values, community__slug="community", space__slug="space", reverses_id="reverses")


@exporter("points_totals", description=_("Your points and rank in each community."))
def points_totals(user: User) -> Iterator[dict[str, Any]]:
    fields = ("community__slug", "total", "rank__name", "updated_at")
    values = PointsBalance.objects.filter(user=user).order_by("community__slug", "id").values(*fields)
    return rows(values, community__slug="community", rank__name="rank")


@exporter("badges", description=_("Badges you were awarded, and why."))
def badges(user: User) -> Iterator[dict[str, Any]]:
    fields = ("id", "community__slug", "badge__key", "badge__name", "source", "reason", "created_at")
    values = BadgeAward.objects.filter(user=user).order_by("created_at", "id").values(*fields)
    return rows(values, community__slug="community", badge__key="badge", badge__name="badge_name")


@exporter("celebrations", description=_("Moments celebrated: anniversaries, milestones, new ranks and levels."))
def celebrations(user: User) -> Iterator[dict[str, Any]]:
    fields = ("id", "community__slug", "kind", "key", "data", "created_at")
    values = Celebration.objects.filter(user=user).order_by("created_at", "id").values(*fields)
    return rows(values, community__slug="community")


@exporter("nominations", description=_("Invitations to the ambassador or expert programme, and your answers."))
def nominations(user: User) -> Iterator[dict[str, Any]]:
    areas: dict[int, list[str]] = defaultdict(list)
    through = Nomination.areas.through.objects.filter(nomination__user=user)
    for nomination_id, slug in through.order_by("nomination_id", "tag__slug").values_list("nomination_id", "tag__slug"):
        areas[nomination_id].append(slug)
    fields = ("id", "community__slug", "programme", "state", "created_at", "answered_at")
    values = Nomination.objects.filter(user=user).order_by("created_at", "id").values(*fields)
    for row in rows(values, community__slug="community"):
        yield {**row, "areas": areas.get(row["id"], [])}


@exporter("expert_areas", description=_("The tags you are known as an expert for."))
def expert_areas(user: User) -> Iterator[dict[str, Any]]:
    fields = ("id", "community__slug", "tag__slug", "created_at")
    values = ExpertArea.objects.filter(user=user).order_by("created_at", "id").values(*fields)
    return rows(values, community__slug="community", tag__slug="tag")


@exporter("perk_codes", description=_("Codes of perks issued to you."))
def perk_codes(user: User) -> Iterator[dict[str, Any]]:
    fields = ("id", "perk__community__slug", "perk__name", "code", "issued_at")
    values = PerkCode.objects.filter(user=user).order_by("issued_at", "id").values(*fields)
    return rows(values, perk__community__slug="community", perk__name="perk")
