"""Rules and posts for the moderation tests; threads and replies go through the conversation actions,
so the screener, the review queue and the events run as they do in production."""

from __future__ import annotations

from typing import Any

import factory

from belong.communities.models import Membership
from belong.communities.tests.factories import CommunityFactory
from belong.conversations import actions as conversations
from belong.conversations.models import Post, Thread, ThreadKind
from belong.core.models import ModerationEntry
from belong.moderation.models import Rule


class RuleFactory(factory.django.DjangoModelFactory):
    """A rule written straight to the database (the actions bump the rules' revision; this does not)."""

    class Meta:
        model = Rule

    community = factory.SubFactory(CommunityFactory)
    position = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Rule {n}: be kind")
    description = "Criticise ideas, not people."


def start_thread(author: Any, space: Any, **fields: Any) -> Thread:
    """Start a discussion through the action (screened, perhaps held)."""
    fields.setdefault("kind", ThreadKind.DISCUSSION)
    fields.setdefault("title", "My kettle scales up every week")
    fields.setdefault("body", "The water here is hard. What do you use against the limescale?")
    thread: Thread = conversations.create_thread(author=author, space=space, **fields)
    return thread


def reply_to(thread: Thread, author: Any, body: str = "Vinegar works, then rinse twice.", **fields: Any) -> Post:
    """Reply through the action (screened, perhaps held)."""
    post: Post = conversations.create_reply(author=author, thread=thread, body=body, **fields)
    return post


def opening_of(thread: Thread) -> Post:
    return Post.objects.get(thread=thread, is_opening=True)


def membership_of(user: Any, community: Any) -> Membership:
    return Membership.objects.get(user=user, community=community)


def entries(action: str, **filters: Any) -> list[ModerationEntry]:
    """The moderation log's entries of one action, oldest first."""
    return list(ModerationEntry.objects.filter(action=action, **filters).order_by("id"))


def fresh(obj: Any) -> Any:
    """The object as the database holds it now."""
    return type(obj)._default_manager.get(pk=obj.pk)
