"""What a data export holds from ideas: ideas proposed, comments on ideas, votes, status notes, beta invitations."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext_lazy as _

from belong.accounts.export import exporter, rows
from belong.accounts.models import User
from belong.conversations.models import Post, ThreadKind
from belong.ideas.models import BetaInvitation, Idea, IdeaVote, StatusChange


@exporter(
    "ideas",
    description=_("Ideas you proposed: title, description (Markdown), status, category, votes, dates; by thread id."),
)
def ideas(user: User) -> Iterator[dict[str, Any]]:
    opening = Post.objects.filter(thread=OuterRef("thread"), is_opening=True).values("body")[:1]
    fields = (
        "thread_id", "community__slug", "thread__title", "description", "status__key", "category__slug",
        "product__slug", "vote_count", "merged_into_id", "created_at", "status_changed_at", "shipped_at",
    )  # fmt: skip
    values = (
        Idea.objects.filter(thread__author=user)
        .annotate(description=Subquery(opening))
        .order_by("created_at", "thread_id")
        .values(*fields)
    )
    return rows(
        values,
        thread_id="id",
        community__slug="community",
        thread__title="title",
        status__key="status",
        category__slug="category",
        product__slug="product",
        merged_into_id="merged_into",
    )


@exporter("idea_comments", description=_("Your comments in the discussions of ideas (also in posts.json)."))
def idea_comments(user: User) -> Iterator[dict[str, Any]]:
    fields = ("id", "community__slug", "thread_id", "body", "created_at", "edited_at", "deleted_at")
    values = (
        Post.objects.filter(author=user, thread__kind=ThreadKind.IDEA, is_opening=False)
        .order_by("created_at", "id")
        .values(*fields)
    )
    return rows(values, community__slug="community", thread_id="idea")


@exporter("idea_votes", description=_("Your votes on ideas, with the importance you gave."))
def idea_votes(user: User) -> Iterator[dict[str, Any]]:
    fields = ("id", "idea__community__slug", "idea_id", "importance", "created_at", "updated_at")
    values = IdeaVote.objects.filter(user=user).order_by("created_at", "id").values(*fields)
    return rows(values, idea__community__slug="community", idea_id="idea")


@exporter("idea_status_changes", description=_("Ideas you moved from one status to another, with your notes."))
def idea_status_changes(user: User) -> Iterator[dict[str, Any]]:
    fields = ("id", "idea__community__slug", "idea_id", "from_status__key", "to_status__key", "note", "created_at")
    values = StatusChange.objects.filter(changed_by=user).order_by("created_at", "id").values(*fields)
    return rows(
        values,
        idea__community__slug="community",
        idea_id="idea",
        from_status__key="from_status",
        to_status__key="to_status",
    )


@exporter("beta_invitations", description=_("Private beta groups you were invited into, and your answers."))
def beta_invitations(user: User) -> Iterator[dict[str, Any]]:
    fields = ("id", "group__community__slug", "group_id", "group__name", "state", "created_at", "responded_at")
    values = BetaInvitation.objects.filter(user=user).order_by("created_at", "id").values(*fields)
    return rows(values, group__community__slug="community", group_id="group", group__name="group_name")
