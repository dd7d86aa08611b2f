"""Every change to threads, posts, reactions, tags, follows, bookmarks and collections."""

from __future__ import annotations

from collections.abc import Iterable
from html.parser import HTMLParser
from typing import Any

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import F
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from belong.accounts.models import User
from belong.communities.actions import record_visit
from belong.communities.models import Community, MembershipState, Space
from belong.communities.permissions import BRAND, Action, can, check, effective_role, membership_for
from belong.conversations import events
from belong.conversations.models import (
    BOARD_KINDS,
    BRAND_KINDS,
    MAX_TITLE_CHARS,
    Bookmark,
    Collection,
    CollectionItem,
    Follow,
    Post,
    PostRevision,
    Product,
    Reaction,
    ReactionKind,
    Tag,
    Thread,
    ThreadKind,
    ThreadRead,
    ThreadTag,
)
from belong.conversations.permissions import ConversationAction as Can
from belong.core.activity import record_activity
from belong.core.audit import record_moderation
from belong.core.errors import Conflict, Invalid, NotAllowed, NotFound
from belong.core.events import on_commit_publish
from belong.core.richtext import clean_body, extract_mentions, render_markdown
from belong.core.screening import hold_post, screen_post
from belong.core.validation import validate_instance

MAX_TAGS_PER_THREAD = 5


class Verb:
    THREAD_STARTED = "thread.started"
    REPLIED = "post.replied"
    POST_EDITED = "post.edited"
    POST_DELETED = "post.deleted"
    ANSWER_ACCEPTED = "thread.answer_accepted"
    REACTED = "post.reacted"
    UNREACTED = "post.unreacted"
    FOLLOWED = "follow.created"
    UNFOLLOWED = "follow.removed"
    BOOKMARKED = "bookmark.created"
    UNBOOKMARKED = "bookmark.removed"
    TAGGED = "thread.tagged"
    TAG_CREATED = "tag.created"
    PRODUCT_CREATED = "product.created"
    THREAD_MODERATED = "thread.moderated"
    THREAD_CLOSED = "thread.closed"
    THREAD_REOPENED = "thread.reopened"
    WIKI_CHANGED = "post.wiki_changed"
    COLLECTION_CREATED = "collection.created"
    COLLECTED = "collection.item_added"
    UNCOLLECTED = "collection.item_removed"
    VIEWED = "thread.viewed"
    READ = "thread.read"


def _is_brand(user: Any, community: Community) -> bool:
    return effective_role(user, membership_for(user, community)) in BRAND


def _clean_title(title: str) -> str:
    title = " ".join((title or "").split())
    if not title:
        raise Invalid(_("Give the thread a title."), errors={"title": [_("This field is required.")]})
    if len(title) > MAX_TITLE_CHARS:
        message = _("Keep the title under %(limit)d characters.") % {"limit": MAX_TITLE_CHARS}
        raise Invalid(message, errors={"title": [message]})
    return title


def _clean_review(kind: str, product: Product | None, rating: int | None, space: Space) -> None:
    if kind == ThreadKind.REVIEW:
        if rating is None or not 1 <= int(rating) <= 5:
            message = _("A review needs a rating from 1 to 5.")
            raise Invalid(message, errors={"rating": [message]})
        if product is not None and (product.community_id != space.community_id or not product.is_active):
            raise Invalid(_("Pick a product of this community."), errors={"product": [_("Unknown product.")]})
        if product is None and Product.objects.filter(community_id=space.community_id, is_active=True).exists():
            message = _("Say which product the review is about.")
            raise Invalid(message, errors={"product": [message]})
    elif rating is not None:
        message = _("Only reviews have a rating.")
        raise Invalid(message, errors={"rating": [message]})


class _LinkFinder(HTMLParser):
    """Collect where the links and images of rendered (sanitised) HTML point.

    @mentions (profile paths) and e-mail addresses (mailto:, which linkify makes of any address)
    are not links to the web, so they are left out.
    """

    def __init__(self) -> None:
        super().__init__()
        self.targets: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "img":
            self.targets.add(f"img:{attributes.get('src') or ''}")
        elif tag == "a":
            href = attributes.get("href") or ""
            if href.lower().startswith(("http:", "https:")):
                self.targets.add(f"a:{href}")


def link_targets(body_html: str) -> set[str]:
    """The web links and images a rendered body carries (mentions and e-mail addresses are not links here)."""
    finder = _LinkFinder()
    finder.feed(body_html)
    finder.close()
    return finder.targets


def _check_links(author: Any, community: Community, body_html: str, *, already: str = "") -> None:
    """Refuse links and images from members not yet trusted with them (trust level 1).

    Those an edited post already had stay: fixing a typo does not mean removing them.
    """
    added = link_targets(body_html) - (link_targets(already) if already else set())
    if added and not can(author, Action.POST_LINKS, community):
        message = _(
            "Links and images unlock at trust level 1 (Basic): read a few threads over a couple of days, "
            "then try again. Until then, write the address without a link or leave it out."
        )
        raise Invalid(message, errors={"body": [message]})


def _mentioned_members(source: str, community: Community, author: Any) -> list[int]:
    """Ids of the community's active members @mentioned in the text (handles match case-insensitively)."""
    handles = {handle.lower() for handle in extract_mentions(source)}
    if not handles:
        return []
    return list(
        User.objects.annotate(handle_lower=Lower("handle"))
        .filter(
            handle_lower__in=handles,
            memberships__community=community,
            memberships__state=MembershipState.ACTIVE,
        )
        .exclude(pk=author.pk)
        .values_list("pk", flat=True)
    )


def _publish_mentions(post: Post, source: str, author: Any) -> None:
    user_ids = _mentioned_members(source, post.thread.community, author)
    if user_ids:
        on_commit_publish(
            events.MembersMentioned(
                community_id=post.community_id,
                actor_id=author.pk,
                post_id=post.pk,
                thread_id=post.thread_id,
                user_ids=tuple(user_ids),
            )
        )


@transaction.atomic
def create_thread(
    *,
    author: Any,
    space: Space,
    kind: str,
    title: str,
    body: str,
    product: Product | None = None,
    rating: int | None = None,
    tags: Iterable[str] = (),
    board: bool = False,
) -> Thread:
    """Start a thread of a kind in a space, with its opening post.

    Kinds in BOARD_KINDS belong to another app's objects (an idea's discussion): only that app,
    passing `board=True`, opens them.
    """
    if kind not in ThreadKind.values or (kind in BOARD_KINDS and not board):
        raise Invalid(_("Unknown kind of thread."), errors={"kind": [_("Pick one of the listed kinds.")]})
    check(author, Can.START_BRAND_THREAD if kind in BRAND_KINDS else Can.START_THREAD, space)
    title = _clean_title(title)
    source = clean_body(body)
    body_html = render_markdown(source)
    _check_links(author, space.community, body_html)
    _clean_review(kind, product, rating, space)
    screening = screen_post(author=author, community=space.community, source=source, html=body_html, title=title)
    now = timezone.now()
    official = _is_brand(author, space.community)
    thread = Thread.objects.create(
        community=space.community,
        space=space,
        author=author,
        kind=kind,
        title=title,
        product=product if kind == ThreadKind.REVIEW else None,
        rating=rating if kind == ThreadKind.REVIEW else None,
        last_activity_at=now,
        is_hidden=screening.held,
    )
    post = Post.objects.create(
        community=space.community,
        thread=thread,
        author=author,
        is_opening=True,
        body=source,
        body_html=body_html,
        is_official=official,
        is_hidden=screening.held,
    )
    hold_post(post=post, screening=screening)
    if tags:
        _apply_tags(actor=author, thread=thread, names=tags)
    Follow.objects.get_or_create(user=author, thread=thread)
    record_activity(actor=author, verb=Verb.THREAD_STARTED, target=thread, data={"kind": kind, "post": post.pk})
    on_commit_publish(
        events.ThreadStarted(
            community_id=thread.community_id, actor_id=author.pk, thread_id=thread.pk, post_id=post.pk, kind=kind
        )
    )
    on_commit_publish(
        events.PostCreated(
            community_id=thread.community_id,
            actor_id=author.pk,
            thread_id=thread.pk,
            post_id=post.pk,
            is_opening=True,
            is_official=official,
        )
    )
    if not screening.held:  # those mentioned hear of it once a moderator lets it through
        _publish_mentions(post, source, author)
    return thread


@transaction.atomic
def create_reply(*, author: Any, thread: Thread, body: str, reply_to: Post | None = None) -> Post:
    """Reply to a thread, optionally to one post of it; the brand's first answer is timed."""
    thread = Thread.objects.select_for_update().select_related("space", "community").get(pk=thread.pk)
    check(author, Can.REPLY, thread)
    if reply_to is not None and reply_to.thread_id != thread.pk:
        raise Invalid(_("You can only reply to a post of this thread."), errors={"reply_to": [_("Unknown post.")]})
    source = clean_body(body)
    body_html = render_markdown(source)
    _check_links(author, thread.community, body_html)
    screening = screen_post(author=author, community=thread.community, source=source, html=body_html)
    now = timezone.now()
    official = _is_brand(author, thread.community)
    post = Post.objects.create(
        community=thread.community,
        thread=thread,
        author=author,
        reply_to=reply_to,
        body=source,
        body_html=body_html,
        is_official=official,
        is_hidden=screening.held,
    )
    hold_post(post=post, screening=screening)
    thread.reply_count = F("reply_count") + 1
    thread.last_activity_at = now
    fields = ["reply_count", "last_activity_at", "updated_at"]
    if official and thread.first_brand_response_at is None and not _thread_started_by_brand(thread):
        thread.first_brand_response_at = now
        fields.append("first_brand_response_at")
    thread.save(update_fields=fields)
    thread.refresh_from_db(fields=["reply_count"])
    Follow.objects.get_or_create(user=author, thread=thread)
    record_activity(
        actor=author,
        verb=Verb.REPLIED,
        target=post,
        recipient=reply_to.author_id if reply_to else None,
        data={"thread": thread.pk, "official": official, "reply_to": reply_to.pk if reply_to else None},
    )
    on_commit_publish(
        events.PostCreated(
            community_id=thread.community_id,
            actor_id=author.pk,
            thread_id=thread.pk,
            post_id=post.pk,
            is_official=official,
            reply_to_id=reply_to.pk if reply_to else None,
        )
    )
    if not screening.held:
        _publish_mentions(post, source, author)
    return post


def _thread_started_by_brand(thread: Thread) -> bool:
    return Post.objects.filter(thread=thread, is_opening=True, is_official=True).exists()


@transaction.atomic
def edit_post(*, editor: Any, post: Post, body: str, title: str | None = None) -> Post:
    """Change a post's text (and the thread's title, for the opening post), keeping the old version."""
    post = Post.objects.select_for_update().select_related("thread", "thread__space").get(pk=post.pk)
    check(editor, Can.EDIT_POST, post)
    source = clean_body(body)
    new_title = _clean_title(title) if title is not None and post.is_opening else None
    if source == post.body and (new_title is None or new_title == post.thread.title):
        return post
    body_html = render_markdown(source)
    _check_links(editor, post.thread.space.community, body_html, already=post.body_html)
    screening = screen_post(
        author=editor,
        community=post.thread.space.community,
        source=source,
        html=body_html,
        title=new_title or "",
        post=post,
    )
    PostRevision.objects.create(
        post=post, body=post.body, title=post.thread.title if post.is_opening else "", edited_by=editor
    )
    post.body = source
    post.body_html = body_html
    post.edited_at = timezone.now()
    post.is_hidden = post.is_hidden or screening.held
    post.save(update_fields=["body", "body_html", "edited_at", "is_hidden", "updated_at"])
    hold_post(post=post, screening=screening)
    if new_title is not None and new_title != post.thread.title:
        post.thread.title = new_title
        post.thread.save(update_fields=["title", "updated_at"])
    record_activity(actor=editor, verb=Verb.POST_EDITED, target=post, data={"thread": post.thread_id})
    on_commit_publish(
        events.PostEdited(community_id=post.community_id, actor_id=editor.pk, thread_id=post.thread_id, post_id=post.pk)
    )
    return post


@transaction.atomic
def delete_post(*, actor: Any, post: Post) -> Post:
    """Soft-delete a post: its text is kept in the history, the thread shows it was removed."""
    post = Post.objects.select_for_update().select_related("thread", "thread__space").get(pk=post.pk)
    check(actor, Can.DELETE_POST, post)
    post.deleted_at = timezone.now()
    post.save(update_fields=["deleted_at", "updated_at"])
    thread = post.thread
    if not post.is_opening:
        Thread.objects.filter(pk=thread.pk).update(reply_count=F("reply_count") - 1)
    if thread.accepted_answer_id == post.pk:
        Thread.objects.filter(pk=thread.pk).update(accepted_answer=None)
    record_activity(actor=actor, verb=Verb.POST_DELETED, target=post, data={"thread": thread.pk})
    on_commit_publish(
        events.PostDeleted(community_id=post.community_id, actor_id=actor.pk, thread_id=thread.pk, post_id=post.pk)
    )
    return post


@transaction.atomic
def accept_answer(*, actor: Any, thread: Thread, post: Post) -> Thread:
    """Mark a reply as the answer to a question (the asker or a moderator; it can be changed)."""
    thread = Thread.objects.select_for_update().select_related("space", "community").get(pk=thread.pk)
    if thread.kind != ThreadKind.QUESTION:
        raise Invalid(_("Only questions have accepted answers."))
    check(actor, Can.ACCEPT_ANSWER, thread)
    if post.thread_id != thread.pk or post.is_opening:
        raise Invalid(_("Pick a reply of this question."), errors={"post": [_("Unknown reply.")]})
    if post.is_deleted or post.is_hidden:
        raise Conflict(_("A removed reply cannot be the answer."))
    if thread.accepted_answer_id == post.pk:
        raise Conflict(_("This reply is already the accepted answer."))
    previous = thread.accepted_answer_id
    thread.accepted_answer = post
    thread.save(update_fields=["accepted_answer", "updated_at"])
    record_activity(
        actor=actor,
        verb=Verb.ANSWER_ACCEPTED,
        target=thread,
        recipient=post.author_id,
        data={"post": post.pk, "answerer": post.author_id, "previous": previous},
    )
    on_commit_publish(
        events.AnswerAccepted(
            community_id=thread.community_id,
            actor_id=actor.pk,
            thread_id=thread.pk,
            post_id=post.pk,
            answerer_id=post.author_id,
            previous_post_id=previous,
        )
    )
    return thread


@transaction.atomic
def add_reaction(*, user: Any, post: Post, kind: str) -> Reaction:
    """React to someone else's post with one of the fixed reactions, once per kind."""
    if kind not in ReactionKind.values:
        raise Invalid(_("Unknown reaction."), errors={"kind": [_("Pick one of the listed reactions.")]})
    post = Post.objects.select_related("thread", "thread__space").get(pk=post.pk)
    check(user, Can.REACT, post)
    try:
        with transaction.atomic():
            reaction = Reaction.objects.create(post=post, user=user, kind=kind)
    except IntegrityError as error:
        raise Conflict(_("You have already reacted this way.")) from error
    record_activity(
        actor=user,
        verb=Verb.REACTED,
        target=post,
        recipient=post.author_id,
        data={"kind": kind, "author": post.author_id},
    )
    on_commit_publish(
        events.ReactionAdded(
            community_id=post.community_id, actor_id=user.pk, post_id=post.pk, kind=kind, post_author_id=post.author_id
        )
    )
    return reaction


@transaction.atomic
def remove_reaction(*, user: Any, post: Post, kind: str) -> None:
    """Take a reaction back."""
    deleted, _ignored = Reaction.objects.filter(post=post, user=user, kind=kind).delete()
    if not deleted:
        raise NotFound(_("You have not reacted this way."))
    record_activity(actor=user, verb=Verb.UNREACTED, target=post, recipient=post.author_id, data={"kind": kind})
    on_commit_publish(
        events.ReactionRemoved(
            community_id=post.community_id, actor_id=user.pk, post_id=post.pk, kind=kind, post_author_id=post.author_id
        )
    )


def _follow_target(target: Thread | Space | Tag) -> dict[str, Any]:
    if isinstance(target, Thread):
        return {"thread": target}
    if isinstance(target, Space):
        return {"space": target}
    return {"tag": target}


@transaction.atomic
def follow(*, user: Any, target: Thread | Space | Tag) -> Follow:
    """Follow a thread, a space or a tag, to hear of what is new there."""
    check(user, Can.FOLLOW, target)
    following, created = Follow.objects.get_or_create(user=user, **_follow_target(target))
    if not created:
        raise Conflict(_("You already follow this."))
    record_activity(actor=user, verb=Verb.FOLLOWED, target=target, community=target.community)
    on_commit_publish(
        events.ThreadFollowed(
            community_id=target.community.pk,
            actor_id=user.pk,
            **{f"{k}_id": v.pk for k, v in _follow_target(target).items()},
        )
    )
    return following


@transaction.atomic
def unfollow(*, user: Any, target: Thread | Space | Tag) -> None:
    deleted, _ignored = Follow.objects.filter(user=user, **_follow_target(target)).delete()
    if not deleted:
        raise NotFound(_("You do not follow this."))
    record_activity(actor=user, verb=Verb.UNFOLLOWED, target=target, community=target.community)
    on_commit_publish(
        events.Unfollowed(
            community_id=target.community.pk,
            actor_id=user.pk,
            **{f"{k}_id": v.pk for k, v in _follow_target(target).items()},
        )
    )


@transaction.atomic
def bookmark(*, user: Any, thread: Thread) -> Bookmark:
    check(user, Can.BOOKMARK, thread)
    saved, created = Bookmark.objects.get_or_create(user=user, thread=thread)
    if not created:
        raise Conflict(_("This thread is already in your bookmarks."))
    record_activity(actor=user, verb=Verb.BOOKMARKED, target=thread)
    on_commit_publish(
        events.BookmarkChanged(community_id=thread.community_id, actor_id=user.pk, thread_id=thread.pk, bookmarked=True)
    )
    return saved


@transaction.atomic
def remove_bookmark(*, user: Any, thread: Thread) -> None:
    deleted, _ignored = Bookmark.objects.filter(user=user, thread=thread).delete()
    if not deleted:
        raise NotFound(_("This thread is not in your bookmarks."))
    record_activity(actor=user, verb=Verb.UNBOOKMARKED, target=thread)
    on_commit_publish(
        events.BookmarkChanged(
            community_id=thread.community_id, actor_id=user.pk, thread_id=thread.pk, bookmarked=False
        )
    )


def _tag_slug(name: str) -> str:
    slug = slugify(name, allow_unicode=True)
    if not slug:
        raise Invalid(
            _("“%(name)s” is not a usable tag.") % {"name": name}, errors={"tags": [_("Use letters or digits.")]}
        )
    return slug[:50]


def _apply_tags(*, actor: Any, thread: Thread, names: Iterable[str]) -> list[Tag]:
    wanted = list(dict.fromkeys(_tag_slug(name) for name in names if name.strip()))
    if len(wanted) > MAX_TAGS_PER_THREAD:
        message = _("Use at most %(count)d tags.") % {"count": MAX_TAGS_PER_THREAD}
        raise Invalid(message, errors={"tags": [message]})
    existing = {tag.slug: tag for tag in Tag.objects.filter(community=thread.community, slug__in=wanted)}
    missing = [slug for slug in wanted if slug not in existing]
    if missing and not can(actor, Action.ADD_FREE_TAGS, thread.community):
        message = _("The tag “%(tag)s” does not exist, and you cannot add new tags yet.") % {"tag": missing[0]}
        raise Invalid(message, errors={"tags": [message]})
    for slug in missing:
        existing[slug] = Tag.objects.create(community=thread.community, name=slug, slug=slug, created_by=actor)
    tags = [existing[slug] for slug in wanted]
    ThreadTag.objects.filter(thread=thread).exclude(tag__in=tags).delete()
    present = set(ThreadTag.objects.filter(thread=thread).values_list("tag_id", flat=True))
    ThreadTag.objects.bulk_create(
        [ThreadTag(thread=thread, tag=tag, added_by=actor) for tag in tags if tag.pk not in present]
    )
    return tags


@transaction.atomic
def set_tags(*, actor: Any, thread: Thread, names: Iterable[str]) -> list[Tag]:
    """Replace a thread's tags; tags that don't exist yet need the free-tags privilege."""
    check(actor, Can.TAG_THREAD, thread)
    tags = _apply_tags(actor=actor, thread=thread, names=names)
    record_activity(actor=actor, verb=Verb.TAGGED, target=thread, data={"tags": [t.slug for t in tags]})
    on_commit_publish(
        events.ThreadTagged(
            community_id=thread.community_id, actor_id=actor.pk, thread_id=thread.pk, tags=tuple(t.slug for t in tags)
        )
    )
    return tags


@transaction.atomic
def create_tag(*, actor: Any, community: Community, name: str, official: bool = True) -> Tag:
    """Define a tag (managers and moderators); official tags are listed first."""
    check(actor, Can.MANAGE_TAGS, community)
    name = " ".join((name or "").split())[:40]
    slug = _tag_slug(name)
    tag, created = Tag.objects.get_or_create(
        community=community, slug=slug, defaults={"name": name, "is_official": official, "created_by": actor}
    )
    if not created:
        if tag.is_official or not official:
            raise Conflict(_("This tag exists already."), errors={"name": [_("This tag exists already.")]})
        tag.is_official = True
        tag.save(update_fields=["is_official", "updated_at"])
    record_activity(actor=actor, verb=Verb.TAG_CREATED, target=tag, data={"official": official})
    on_commit_publish(events.TagCreated(community_id=community.pk, actor_id=actor.pk, tag_id=tag.pk, official=official))
    return tag


@transaction.atomic
def create_product(*, actor: Any, community: Community, name: str, slug: str, description: str = "") -> Product:
    """Add a product to the community's list, so reviews can name it."""
    check(actor, Can.MANAGE_PRODUCTS, community)
    if Product.objects.filter(community=community, slug=slug).exists():
        raise Conflict(_("A product with this address exists already."), errors={"slug": [_("This address is taken.")]})
    product = Product(community=community, name=name, slug=slug, description=description)
    validate_instance(product)
    product.save()
    record_activity(actor=actor, verb=Verb.PRODUCT_CREATED, target=product)
    on_commit_publish(events.ProductCreated(community_id=community.pk, actor_id=actor.pk, product_id=product.pk))
    return product


@transaction.atomic
def moderate_thread(
    *,
    actor: Any,
    thread: Thread,
    locked: bool | None = None,
    hidden: bool | None = None,
    pinned: bool | None = None,
    reason: str = "",
) -> Thread:
    """Lock, hide or pin a thread (moderators and the brand); each change goes in the moderation log."""
    thread = Thread.objects.select_for_update().select_related("space", "community").get(pk=thread.pk)
    check(actor, Can.MODERATE_THREAD, thread)
    changes = {
        name: value
        for name, value in (("is_locked", locked), ("is_hidden", hidden), ("is_pinned", pinned))
        if value is not None and getattr(thread, name) != value
    }
    if not changes:
        return thread
    for name, value in changes.items():
        setattr(thread, name, value)
    fields = [*changes, "updated_at"]
    if "is_locked" in changes:
        thread.locked_by = actor if thread.is_locked else None
        fields.append("locked_by")
    thread.save(update_fields=fields)
    record_activity(actor=actor, verb=Verb.THREAD_MODERATED, target=thread, data=changes)
    for name, value in changes.items():
        record_moderation(
            actor=actor,
            action=THREAD_MODERATION_ACTIONS[name][value],
            community=thread.community,
            subject=thread.author_id,
            target=thread,
            reason=reason.strip(),
            data={"thread": thread.pk, "title": thread.title},
        )
        on_commit_publish(
            events.ThreadModerated(
                community_id=thread.community_id, actor_id=actor.pk, thread_id=thread.pk, change=f"{name}={value}"
            )
        )
    return thread


# The moderation log's names for each change `moderate_thread` makes.
THREAD_MODERATION_ACTIONS = {
    "is_locked": {True: "thread.locked", False: "thread.unlocked"},
    "is_hidden": {True: "thread.hidden", False: "thread.unhidden"},
    "is_pinned": {True: "thread.pinned", False: "thread.unpinned"},
}


def _set_closed(*, actor: Any, thread: Thread, closed: bool) -> Thread:
    thread = Thread.objects.select_for_update().select_related("space", "community").get(pk=thread.pk)
    check(actor, Can.CLOSE_THREAD, thread)
    if thread.is_locked == closed:
        raise Conflict(_("This thread is closed already.") if closed else _("This thread is open already."))
    thread.is_locked = closed
    thread.locked_by = actor if closed else None
    thread.save(update_fields=["is_locked", "locked_by", "updated_at"])
    record_activity(
        actor=actor,
        verb=Verb.THREAD_CLOSED if closed else Verb.THREAD_REOPENED,
        target=thread,
        data={"is_locked": closed},
    )
    on_commit_publish(
        events.ThreadModerated(
            community_id=thread.community_id, actor_id=actor.pk, thread_id=thread.pk, change=f"is_locked={closed}"
        )
    )
    return thread


@transaction.atomic
def close_thread(*, actor: Any, thread: Thread) -> Thread:
    """Close a thread to new replies: its author (from trust level 2) or a moderator."""
    return _set_closed(actor=actor, thread=thread, closed=True)


@transaction.atomic
def reopen_thread(*, actor: Any, thread: Thread) -> Thread:
    """Open a closed thread again: a moderator, or the author who closed it."""
    return _set_closed(actor=actor, thread=thread, closed=False)


@transaction.atomic
def set_wiki(*, actor: Any, post: Post, wiki: bool) -> Post:
    """Make a post a wiki, which members from trust level 3 may edit too, or a plain post again."""
    post = Post.objects.select_for_update().select_related("thread", "thread__space").get(pk=post.pk)
    check(actor, Can.SET_WIKI, post)
    if post.is_wiki == wiki:
        return post
    post.is_wiki = wiki
    post.save(update_fields=["is_wiki", "updated_at"])
    record_activity(
        actor=actor,
        verb=Verb.WIKI_CHANGED,
        target=post,
        recipient=post.author_id,
        data={"thread": post.thread_id, "wiki": wiki},
    )
    return post


@transaction.atomic
def create_collection(
    *, owner: Any, community: Community, title: str, description: str = "", is_public: bool = True
) -> Collection:
    """Start a curated list of threads."""
    check(owner, Can.COLLECT, community)
    title = " ".join((title or "").split())
    if not title:
        raise Invalid(_("Give the collection a title."), errors={"title": [_("This field is required.")]})
    collection = Collection(
        community=community, owner=owner, title=title[:120], description=description, is_public=is_public
    )
    collection.save()
    record_activity(actor=owner, verb=Verb.COLLECTION_CREATED, target=collection)
    on_commit_publish(
        events.CollectionChanged(
            community_id=community.pk, actor_id=owner.pk, collection_id=collection.pk, change="created"
        )
    )
    return collection


@transaction.atomic
def add_to_collection(*, owner: Any, collection: Collection, thread: Thread, note: str = "") -> CollectionItem:
    if collection.owner_id != owner.pk:
        raise NotAllowed(_("Only the collection's owner can change it."))
    if thread.community_id != collection.community_id or not can(owner, Can.VIEW_THREAD, thread):
        raise NotFound(_("No such thread."))
    position = CollectionItem.objects.filter(collection=collection).count()
    try:
        with transaction.atomic():
            item = CollectionItem.objects.create(
                collection=collection, thread=thread, note=note[:300], position=position
            )
    except IntegrityError as error:
        raise Conflict(_("This thread is already in the collection.")) from error
    Collection.objects.filter(pk=collection.pk).update(updated_at=timezone.now())
    record_activity(actor=owner, verb=Verb.COLLECTED, target=collection, data={"thread": thread.pk})
    on_commit_publish(
        events.CollectionChanged(
            community_id=collection.community_id,
            actor_id=owner.pk,
            collection_id=collection.pk,
            change="added",
            thread_id=thread.pk,
        )
    )
    return item


@transaction.atomic
def remove_from_collection(*, owner: Any, collection: Collection, thread: Thread) -> None:
    if collection.owner_id != owner.pk:
        raise NotAllowed(_("Only the collection's owner can change it."))
    deleted, _ignored = CollectionItem.objects.filter(collection=collection, thread=thread).delete()
    if not deleted:
        raise NotFound(_("This thread is not in the collection."))
    record_activity(actor=owner, verb=Verb.UNCOLLECTED, target=collection, data={"thread": thread.pk})
    on_commit_publish(
        events.CollectionChanged(
            community_id=collection.community_id,
            actor_id=owner.pk,
            collection_id=collection.pk,
            change="removed",
            thread_id=thread.pk,
        )
    )


# Visitors' views are counted in the cache and written VIEW_BATCH at a time: under load many
# visitors read the same thread, and one UPDATE of its row per view would queue them on its lock.
VIEW_BATCH = 10


def count_visitor_view(thread_id: int) -> None:
    """Count a view by someone not signed in; every VIEW_BATCH-th one writes the batch to the thread."""
    key = f"views:thread:{thread_id}"
    if cache.add(key, 1, timeout=None):
        seen = 1
    else:
        try:
            seen = cache.incr(key)
        except ValueError:  # evicted between the two calls: start again
            cache.add(key, 1, timeout=None)
            seen = 1
    if seen % VIEW_BATCH == 0:
        Thread.objects.filter(pk=thread_id).update(view_count=F("view_count") + VIEW_BATCH)


def record_view(*, user: Any, thread: Thread) -> None:
    """Count a view: visitors in batches, members with one counter update and one upserted row per thread."""
    if not getattr(user, "is_authenticated", False):
        count_visitor_view(thread.pk)
        return
    Thread.objects.filter(pk=thread.pk).update(view_count=F("view_count") + 1)
    updated = ThreadRead.objects.filter(thread=thread, user=user).update(
        times=F("times") + 1, last_read_at=timezone.now()
    )
    if not updated:
        try:
            with transaction.atomic():
                ThreadRead.objects.create(thread=thread, user=user, community_id=thread.community_id)
                # The first read only: trust levels count the threads a member has read.
                record_activity(actor=user, verb=Verb.READ, target=thread, community=thread.community_id)
        except IntegrityError:
            ThreadRead.objects.filter(thread=thread, user=user).update(times=F("times") + 1)
    record_visit(user=user, community_id=thread.community_id)
