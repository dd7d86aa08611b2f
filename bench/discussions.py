"""Threads, posts, reactions, follows, ideas, votes and their activity for one generated community.

Rows are planned in Python and written in chunks (bench/writer.py): COPY on PostgreSQL. What each
row holds mirrors what the actions write (conversations/actions.py `create_thread`,
`create_reply`, `add_reaction`; ideas/actions.py `propose_idea`, `vote`, `change_status`): the
opening post and its thread, the author's follow, the activity entry with the same verb, target,
recipient and data, and the counters the actions keep (`reply_count`, `last_activity_at`,
`first_brand_response_at`, `vote_count`). Nothing is published as an event: no task runs for a
generated row (no analysis, no points, no notifications).

Activity follows a power law: authors, reactors and voters are drawn with Zipf weights (the
member of rank r weighs 1/(r+1)^s) over the active members, so a few percent write most posts;
nobody acts before joining. Thread sizes are heavy-tailed around the asked mean, and a share of
the threads in public spaces has exactly 51 posts (the benchmark's thread page).
"""

from __future__ import annotations

import bisect
import json
import math
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import accumulate
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction

from belong.communities.models import Community, Role, Space
from belong.communities.permissions import BRAND, MODERATORS
from belong.conversations.actions import Verb
from belong.conversations.models import Follow, Post, Product, Reaction, Thread, ThreadKind
from belong.core.models import Activity
from belong.ideas.actions import Verb as IdeaVerb
from belong.ideas.models import Idea, IdeaCategory, IdeaStatus, IdeaVote, Importance, StatusChange
from bench.content import OPENING_TALK, REPLY_TALK, SEARCH_SHARE, Composer
from bench.writer import Row, RowWriter

FIFTY_ONE_SHARE = 0.05  # of threads with exactly 51 posts (opening + 50 replies)
CHUNK_POSTS = 50_000  # posts per transaction
MAX_REPLIES = 5_000
REACTION_KINDS = (("like", 50), ("helpful", 20), ("love", 12), ("insightful", 9), ("agree", 9))
IMPORTANCE = (("", 70), (Importance.IMPORTANT, 17), (Importance.NICE_TO_HAVE, 9), (Importance.CRITICAL, 4))
STATUS_SHARE = {"new": 50, "under_review": 15, "planned": 12, "in_progress": 8, "shipped": 10, "declined": 5}
CATEGORIES = ("Grinders", "Espresso", "Kettles", "The app", "Delivery", "Subscriptions")

# Share of the threads per space (ideas come on top, in the "ideas" space) and the kinds each holds.
SPACE_SHARE = {
    "general": 24, "help": 20, "reviews": 10, "announcements": 2, "portugues": 10, "balgarski": 7,
    "afrikaans": 5, "events": 4, "ambassadors": 2, "moderation": 1, "archive": 5,
}  # fmt: skip
_TALK = (("discussion", 5), ("question", 3), ("story", 2), ("praise", 1), ("criticism", 1), ("review", 1))
SPACE_KINDS: dict[str, tuple[tuple[str, int], ...]] = {
    "help": (("question", 8), ("discussion", 1), ("criticism", 1)),
    "reviews": (("review", 6), ("praise", 2), ("criticism", 2)),
    "announcements": (("announcement", 3), ("call_to_action", 1)),
    "events": (("discussion", 3), ("story", 2)),
    "ambassadors": (("discussion", 3), ("question", 1)),
    "moderation": (("discussion", 1),),
}
SPACE_LANGUAGE = {"portugues": "pt", "balgarski": "bg", "afrikaans": "af"}
# Spaces where the load benchmark picks its 51-post threads: public, open to anyone, not archived.
OPEN_SPACES = ("general", "help", "reviews", "portugues", "balgarski", "afrikaans")
RATINGS = ((5, 40), (4, 30), (3, 15), (2, 8), (1, 7))


@dataclass(frozen=True)
class Sizes:
    threads: int
    posts: int
    ideas: int
    reactions: int
    votes: int


@dataclass(frozen=True)
class Member:
    user_id: int
    joined_at: datetime
    role: str
    locale: str


@dataclass
class Counts:
    threads: int = 0
    posts: int = 0
    fifty_one: int = 0
    searchable: int = 0
    reactions: int = 0
    follows: int = 0
    ideas: int = 0
    votes: int = 0
    activities: int = 0


class Drawer:
    """Draw members Zipf-like among those who had joined by a moment."""

    def __init__(self, members: Sequence[Member], rng: random.Random, exponent: float) -> None:
        self.rng = rng
        self.by_join = sorted(members, key=lambda m: (m.joined_at, m.user_id))
        self.joined = [m.joined_at for m in self.by_join]
        self.order = list(self.by_join)
        rng.shuffle(self.order)
        self.cum = list(accumulate(1 / (rank + 1) ** exponent for rank in range(len(self.order))))

    def draw(self, at: datetime) -> Member:
        rng = self.rng
        for _attempt in range(4):
            member = self.order[bisect.bisect(self.cum, rng.random() * self.cum[-1])]
            if member.joined_at <= at:
                return member
        # Early in the community's life few had joined: any of them.
        joined = bisect.bisect_right(self.joined, at)
        return self.by_join[rng.randrange(joined)] if joined else self.by_join[0]


@dataclass
class Plan:
    """One thread before it is written."""

    id: int
    at: datetime
    space: Space
    kind: str
    language: str
    replies: int = 0
    idea: bool = False


@dataclass
class Buffers:
    threads: list[Row] = field(default_factory=list)
    posts: list[Row] = field(default_factory=list)
    documents: list[tuple[int, str, str]] = field(default_factory=list)
    follows: list[Row] = field(default_factory=list)
    reactions: list[Row] = field(default_factory=list)
    activities: list[Row] = field(default_factory=list)
    ideas: list[Row] = field(default_factory=list)
    votes: list[Row] = field(default_factory=list)
    status_changes: list[Row] = field(default_factory=list)


THREAD_COLUMNS = (
    "id", "created_at", "updated_at", "community_id", "space_id", "author_id", "kind", "title", "product_id",
    "rating", "is_locked", "locked_by_id", "is_hidden", "is_pinned", "accepted_answer_id",
    "first_brand_response_at", "reply_count", "view_count", "last_activity_at", "language",
)  # fmt: skip
POST_COLUMNS = (
    "id", "created_at", "updated_at", "community_id", "thread_id", "author_id", "is_opening", "reply_to_id",
    "body", "body_html", "is_official", "is_hidden", "is_wiki", "edited_at", "deleted_at", "language",
)  # fmt: skip
FOLLOW_COLUMNS = ("id", "user_id", "thread_id", "space_id", "tag_id", "created_at")
REACTION_COLUMNS = ("id", "post_id", "user_id", "kind", "created_at")
ACTIVITY_COLUMNS = (
    "id", "actor_id", "verb", "recipient_id", "community_id", "target_type_id", "target_id", "data", "created_at",
)  # fmt: skip
IDEA_COLUMNS = (
    "thread_id", "community_id", "status_id", "category_id", "product_id", "vote_count", "merged_into_id",
    "merged_at", "status_changed_at", "shipped_at", "created_at",
)  # fmt: skip
VOTE_COLUMNS = ("id", "idea_id", "user_id", "importance", "created_at", "updated_at")
CHANGE_COLUMNS = (
    "id", "idea_id", "from_status_id", "to_status_id", "note", "note_html", "changed_by_id", "created_at",
    "notified_at",
)  # fmt: skip


def _weighted(rng: random.Random, choices: Sequence[tuple[Any, int]]) -> Any:
    return rng.choices([value for value, _w in choices], [weight for _v, weight in choices])[0]


def _round(rng: random.Random, value: float) -> int:
    """Round up with probability of the fraction, so the sum keeps its expected value."""
    return int(value + rng.random())


def thread_sizes(rng: random.Random, threads: int, posts: int, special: int) -> list[int]:
    """Replies of each ordinary thread: heavy-tailed (log-normal), summing exactly to what is left."""
    replies = posts - threads - 50 * special
    ordinary = threads - special
    if ordinary <= 0:
        return []
    weights = [rng.lognormvariate(0, 1.3) for _ in range(ordinary)]
    scale = replies / sum(weights)
    sizes = [min(MAX_REPLIES, _round(rng, w * scale)) for w in weights]
    missing = replies - sum(sizes)
    while missing:
        index = rng.randrange(ordinary)
        step = 1 if missing > 0 else -1
        if 0 <= sizes[index] + step <= MAX_REPLIES:
            sizes[index] += step
            missing -= step
    return sizes


class Generator:
    """Plan and write the conversations and the idea board of one community."""

    def __init__(
        self,
        *,
        community: Community,
        spaces: dict[str, Space],
        members: Sequence[Member],
        products: Sequence[Product],
        sizes: Sizes,
        seed: int,
        start_at: datetime,
        now: datetime,
        languages: Sequence[tuple[str, int]],
        say: Callable[[str], None] = print,
    ) -> None:
        self.rng = random.Random(seed)  # noqa: S311 -- made-up activity, not secrets
        self.community, self.spaces, self.sizes = community, spaces, sizes
        self.products = list(products)
        self.start_at, self.now, self.languages, self.say = start_at, now, languages, say
        self.text = Composer(seed)
        rng = self.rng
        active = list(members)
        brand = [m for m in active if m.role in BRAND]
        self.brand_ids = {m.user_id for m in brand}
        self.writers = Drawer(active, rng, 1.0)
        self.readers = Drawer(active, rng, 0.8)
        self.voters = Drawer(active, rng, 0.6)
        self.brand = Drawer(brand, rng, 1.0)
        self.pools = {
            "ambassadors": Drawer([m for m in active if m.role in {Role.AMBASSADOR, Role.EXPERT} | BRAND], rng, 1.0),
            "moderation": Drawer([m for m in active if m.role in MODERATORS], rng, 1.0),
        }
        self.writer = RowWriter()
        tables: tuple[type[models.Model], ...] = (Thread, Post, Follow, Reaction, Activity, IdeaVote, StatusChange)
        self.ids = {model: self.writer.next_id(model) for model in tables}
        types = ContentType.objects.get_for_models(Thread, Post, Idea)
        self.type_ids = {model: content_type.pk for model, content_type in types.items()}
        self.counts = Counts()

    def _next(self, model: type[Any]) -> int:
        value = self.ids[model]
        self.ids[model] = value + 1
        return value

    # Planning

    def plan(self) -> list[Plan]:
        """Every thread: when, where, what kind, which language, how many replies."""
        rng, sizes = self.rng, self.sizes
        total = sizes.threads
        first, last = self.start_at + timedelta(days=1), self.now - timedelta(hours=1)
        span = (last - first).total_seconds()
        # Density growing with time (the community grows): more recent activity.
        moments = sorted(first + timedelta(seconds=span * math.sqrt(rng.random())) for _ in range(total))
        ideas = set(rng.sample(range(total), min(sizes.ideas, total)))
        middle = self.start_at + (self.now - self.start_at) / 2
        names = [name for name in SPACE_SHARE if name in self.spaces]
        weights = [SPACE_SHARE[name] for name in names]
        plans = []
        for index, at in enumerate(moments):
            thread_id = self._next(Thread)
            if index in ideas:
                plans.append(Plan(thread_id, at, self.spaces["ideas"], ThreadKind.IDEA, self._language(), idea=True))
                continue
            name = rng.choices(names, weights)[0]
            if name == "archive" and at > middle:
                name = "general"  # the archive holds the old forum's threads only
            kind = _weighted(rng, SPACE_KINDS.get(name, _TALK))
            language = SPACE_LANGUAGE.get(name) or self._language()
            plans.append(Plan(thread_id, at, self.spaces[name], kind, language))
        open_threads = [plan for plan in plans if plan.space.slug in OPEN_SPACES]
        special = min(round(total * FIFTY_ONE_SHARE), len(open_threads), (sizes.posts - total) // 50)
        if special == 0 and sizes.posts - total >= 50 and open_threads:
            special = 1
        chosen = set(id(plan) for plan in rng.sample(open_threads, special))
        others = [plan for plan in plans if id(plan) not in chosen]
        for plan in plans:
            if id(plan) in chosen:
                plan.replies = 50
        for plan, replies in zip(others, thread_sizes(rng, total, sizes.posts, special), strict=True):
            plan.replies = replies
        return plans

    def _language(self) -> str:
        return str(_weighted(self.rng, self.languages))

    # Writing

    def run(self) -> Counts:
        plans = self.plan()
        statuses = {status.key: status for status in IdeaStatus.objects.filter(community=self.community)}
        categories = list(IdeaCategory.objects.filter(community=self.community))
        ideas = [plan for plan in plans if plan.idea]
        votes = self._votes_per_idea(len(ideas))
        vote_of = {plan.id: count for plan, count in zip(ideas, votes, strict=True)}
        started = time.monotonic()
        buffers = Buffers()
        for plan in plans:
            author_id = self._thread(plan, buffers)
            if plan.idea:
                self._idea(plan, buffers, author_id, statuses, categories, vote_of[plan.id])
            if len(buffers.posts) >= CHUNK_POSTS:
                self._flush(buffers)
                buffers = Buffers()
                self.say(
                    f"  {self.counts.threads:,} / {len(plans):,} threads, {self.counts.posts:,} posts "
                    f"({time.monotonic() - started:.1f} s)"
                )
        self._flush(buffers)
        self.writer.sync_sequences()
        return self.counts

    def _flush(self, buffers: Buffers) -> None:
        w = self.writer
        with transaction.atomic():
            self.counts.threads += w.write(Thread, THREAD_COLUMNS, buffers.threads)
            self.counts.posts += w.write(Post, POST_COLUMNS, buffers.posts)
            self.counts.ideas += w.write(Idea, IDEA_COLUMNS, buffers.ideas)
            self.counts.votes += w.write(IdeaVote, VOTE_COLUMNS, buffers.votes)
            w.write(StatusChange, CHANGE_COLUMNS, buffers.status_changes)
            self.counts.follows += w.write(Follow, FOLLOW_COLUMNS, buffers.follows)
            self.counts.reactions += w.write(Reaction, REACTION_COLUMNS, buffers.reactions)
            self.counts.activities += w.write(Activity, ACTIVITY_COLUMNS, buffers.activities)
            w.index(buffers.documents)

    def _activity(
        self, buffers: Buffers, actor: int, verb: str, model: type[Any], target: int, at: datetime, **data: Any
    ) -> None:
        recipient = data.pop("recipient", None)
        buffers.activities.append(
            (
                self._next(Activity),
                actor,
                verb,
                recipient,
                self.community.pk,
                self.type_ids[model],
                str(target),
                json.dumps(data),
                at,
            )
        )

    def _reply_times(self, plan: Plan) -> list[datetime]:
        rng = self.rng
        room = (self.now - plan.at).total_seconds() - 2
        # Most of a thread's life is its first days; some threads go on for months.
        life = min(room, rng.lognormvariate(math.log(2 * 86400), 1.4))
        return sorted(plan.at + timedelta(seconds=1 + life * rng.random() ** 2) for _ in range(plan.replies))

    def _author(self, plan: Plan, at: datetime, *, opening: bool) -> Member:
        pool = self.pools.get(plan.space.slug)
        if pool is not None:
            return pool.draw(at)
        if opening and plan.kind in {ThreadKind.ANNOUNCEMENT, ThreadKind.CALL_TO_ACTION}:
            return self.brand.draw(at)
        return self.writers.draw(at)

    def _thread(self, plan: Plan, buffers: Buffers) -> int:
        """Write the thread's rows; return its author's id."""
        rng, text, community_id = self.rng, self.text, self.community.pk
        title, folded_title = text.title(plan.language, plan.kind)
        opener = self._author(plan, plan.at, opening=True)
        opening_official = opener.user_id in self.brand_ids
        posts: list[tuple[int, int, datetime]] = []  # (post id, author id, when)
        followed: set[int] = set()
        brand_answer: datetime | None = None
        times = [plan.at, *self._reply_times(plan)]
        for number, at in enumerate(times):
            opening = number == 0
            author = opener if opening else self._author(plan, at, opening=False)
            post_id = self._next(Post)
            official = author.user_id in self.brand_ids
            language = plan.language if opening or rng.random() < 0.85 else author.locale
            search = rng.random() < SEARCH_SHARE
            body = text.body(language, OPENING_TALK[plan.kind] if opening else REPLY_TALK, search=search)
            reply_to = rng.choice(posts) if posts and not opening and rng.random() < 0.25 else None
            buffers.posts.append(
                (
                    post_id, at, at, community_id, plan.id, author.user_id, opening,
                    reply_to[0] if reply_to else None, body.body, body.html, official, False, False, None, None,
                    language,
                )
            )  # fmt: skip
            buffers.documents.append((post_id, folded_title if opening else "", body.folded))
            self.counts.searchable += search
            if opening:
                self._activity(buffers, author.user_id, Verb.THREAD_STARTED, Thread, plan.id, at,
                               kind=plan.kind, post=post_id)  # fmt: skip
            else:
                self._activity(buffers, author.user_id, Verb.REPLIED, Post, post_id, at,
                               recipient=reply_to[1] if reply_to else None, thread=plan.id, official=official,
                               reply_to=reply_to[0] if reply_to else None)  # fmt: skip
                if official and brand_answer is None and not opening_official:
                    brand_answer = at
            if author.user_id not in followed:
                followed.add(author.user_id)
                buffers.follows.append((self._next(Follow), author.user_id, plan.id, None, None, at))
            self._reactions(buffers, post_id, author.user_id, at)
            posts.append((post_id, author.user_id, at))
        accepted = None
        if plan.kind == ThreadKind.QUESTION and len(posts) > 1 and rng.random() < 0.4:
            answers = [post for post in posts[1:] if post[1] != opener.user_id]
            accepted = rng.choice(answers)[0] if answers else None
        review = plan.kind == ThreadKind.REVIEW
        last = times[-1]
        buffers.threads.append(
            (
                plan.id, plan.at, last, community_id, plan.space.pk, opener.user_id, plan.kind, title,
                rng.choice(self.products).pk if review and self.products else None,
                _weighted(rng, RATINGS) if review else None,
                False, None, False, False, accepted, brand_answer, plan.replies,
                (plan.replies + 1) * rng.randint(3, 40), last, plan.language,
            )
        )  # fmt: skip
        self.counts.fifty_one += plan.replies == 50 and plan.space.slug in OPEN_SPACES
        return opener.user_id

    def _reactions(self, buffers: Buffers, post_id: int, author_id: int, at: datetime) -> None:
        rng = self.rng
        mean = self.sizes.reactions / max(self.sizes.posts, 1)
        wanted = min(150, _round(rng, mean / 2 * rng.paretovariate(2.0)))
        seen: set[tuple[int, str]] = set()
        for _ in range(wanted):
            when = min(self.now, at + timedelta(seconds=rng.expovariate(1 / 43200)))
            reader = self.readers.draw(when)
            kind = _weighted(rng, REACTION_KINDS)
            if reader.user_id == author_id or (reader.user_id, kind) in seen:
                continue  # one's own post, or the same reaction twice: the actions refuse both
            seen.add((reader.user_id, kind))
            reaction_id = self._next(Reaction)
            buffers.reactions.append((reaction_id, post_id, reader.user_id, kind, when))
            self._activity(buffers, reader.user_id, Verb.REACTED, Post, post_id, when,
                           recipient=author_id, kind=kind, author=author_id)  # fmt: skip

    # The idea board

    def _votes_per_idea(self, ideas: int) -> list[int]:
        """Votes wanted per idea (the author's included): Zipf over the ideas, in random order."""
        if not ideas:
            return []
        weights = [1 / (rank + 1) ** 0.9 for rank in range(ideas)]
        self.rng.shuffle(weights)
        scale = self.sizes.votes / sum(weights)
        return [max(1, _round(self.rng, w * scale)) for w in weights]

    def _idea(
        self,
        plan: Plan,
        buffers: Buffers,
        author_id: int,
        statuses: dict[str, IdeaStatus],
        categories: list[IdeaCategory],
        wanted: int,
    ) -> None:
        rng, now = self.rng, self.now
        key = _weighted(rng, [(key, share) for key, share in STATUS_SHARE.items() if key in statuses])
        status = statuses[key]
        initial = next(s for s in statuses.values() if s.is_initial)
        changed_at = plan.at
        if status.pk != initial.pk:
            changed_at = plan.at + (now - plan.at) * rng.uniform(0.2, 0.9)
        closes = changed_at if not status.is_open else now
        category = rng.choice(categories) if categories and rng.random() < 0.8 else None
        voters = {author_id}
        votes = [(self._next(IdeaVote), plan.id, author_id, "", plan.at, plan.at)]
        attempts = 0
        while len(votes) < wanted and attempts < wanted * 3:
            attempts += 1
            when = plan.at + (closes - plan.at) * rng.random() ** 2
            voter = self.voters.draw(when)
            if voter.user_id in voters or voter.joined_at > when:
                continue
            voters.add(voter.user_id)
            importance = _weighted(rng, IMPORTANCE)
            votes.append((self._next(IdeaVote), plan.id, voter.user_id, importance, when, when))
            self._activity(buffers, voter.user_id, IdeaVerb.VOTED, Idea, plan.id, when,
                           recipient=author_id, importance=importance)  # fmt: skip
        buffers.votes += votes
        buffers.ideas.append(
            (
                plan.id, self.community.pk, status.pk, category.pk if category else None, None, len(votes), None,
                None, changed_at, changed_at if status.is_shipped else None, plan.at,
            )
        )  # fmt: skip
        self._activity(buffers, author_id, IdeaVerb.PROPOSED, Idea, plan.id, plan.at, space=plan.space.pk)
        if status.pk != initial.pk:
            actor = self.brand.draw(changed_at)
            note = self.text.body(plan.language, OPENING_TALK[ThreadKind.ANNOUNCEMENT])
            buffers.status_changes.append(
                (self._next(StatusChange), plan.id, initial.pk, status.pk, note.body, note.html, actor.user_id,
                 changed_at, changed_at)
            )  # fmt: skip
            self._activity(buffers, actor.user_id, IdeaVerb.STATUS_CHANGED, Idea, plan.id, changed_at,
                           **{"from": initial.key, "to": status.key})  # fmt: skip
