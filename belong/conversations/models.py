"""Threads of every feedback kind, their posts, and what members do with them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from belong.core.models import TimeStampedModel
from belong.core.richtext import MAX_BODY_CHARS

MAX_TITLE_CHARS = 200


class ThreadKind(models.TextChoices):
    DISCUSSION = "discussion", _("Discussion")
    QUESTION = "question", _("Question")
    REVIEW = "review", _("Review")
    PRAISE = "praise", _("Praise")
    CRITICISM = "criticism", _("Criticism")
    STORY = "story", _("Experience story")
    ANNOUNCEMENT = "announcement", _("Announcement")
    CALL_TO_ACTION = "call_to_action", _("Call for feedback")
    IDEA = "idea", _("Idea")


# Kinds only the brand (owners, managers, brand staff) may start.
BRAND_KINDS = frozenset({ThreadKind.ANNOUNCEMENT, ThreadKind.CALL_TO_ACTION})

# Kinds whose threads another app opens for its own objects (an idea's discussion), never the thread form.
BOARD_KINDS = frozenset({ThreadKind.IDEA})


class ReactionKind(models.TextChoices):
    LIKE = "like", _("Like")
    HELPFUL = "helpful", _("Helpful")
    LOVE = "love", _("Love")
    INSIGHTFUL = "insightful", _("Insightful")
    AGREE = "agree", _("Agree")


class Product(TimeStampedModel):
    """A product the community keeps in its list, so reviews say what they are about."""

    community = models.ForeignKey("communities.Community", on_delete=models.CASCADE, related_name="products")
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("address"), max_length=60)
    description = models.TextField(_("description"), max_length=2000, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ["name", "id"]
        constraints = [models.UniqueConstraint(fields=["community", "slug"], name="product_slug_unique_in_community")]

    def __str__(self) -> str:
        return self.name


class Tag(TimeStampedModel):
    """A label on threads: official ones are defined by managers, free ones by trusted members."""

    community = models.ForeignKey("communities.Community", on_delete=models.CASCADE, related_name="tags")
    name = models.CharField(_("name"), max_length=40)
    slug = models.SlugField(_("address"), max_length=50, allow_unicode=True)
    is_official = models.BooleanField(_("official"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        ordering = ["-is_official", "name", "id"]
        constraints = [models.UniqueConstraint(fields=["community", "slug"], name="tag_slug_unique_in_community")]

    def __str__(self) -> str:
        return self.name


class Thread(TimeStampedModel):
    """A conversation started in a space: its opening post is the first Post."""

    community = models.ForeignKey("communities.Community", on_delete=models.CASCADE, related_name="threads")
    space = models.ForeignKey("communities.Space", on_delete=models.CASCADE, related_name="threads")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="threads"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ThreadKind.choices, default=ThreadKind.DISCUSSION)
    title = models.CharField(_("title"), max_length=MAX_TITLE_CHARS)
    product = models.ForeignKey(
        Product, null=True, blank=True, on_delete=models.SET_NULL, related_name="threads", verbose_name=_("product")
    )
    rating = models.PositiveSmallIntegerField(_("rating"), null=True, blank=True)
    tags: models.ManyToManyField[Tag, ThreadTag] = models.ManyToManyField(
        Tag, blank=True, related_name="threads", through="ThreadTag"
    )
    is_locked = models.BooleanField(_("locked"), default=False)
    # Who locked it: an author who closed their own thread may reopen it; a moderator's lock is theirs to lift.
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_hidden = models.BooleanField(_("hidden"), default=False)
    is_pinned = models.BooleanField(_("pinned"), default=False)
    accepted_answer = models.ForeignKey(
        "Post", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("accepted answer")
    )
    first_brand_response_at = models.DateTimeField(_("first answer by the brand"), null=True, blank=True)
    reply_count = models.PositiveIntegerField(_("replies"), default=0)
    view_count = models.PositiveIntegerField(_("views"), default=0)
    last_activity_at = models.DateTimeField(_("last activity"), db_index=True)
    language = models.CharField(_("language"), max_length=12, blank=True)

    class Meta:
        verbose_name = _("thread")
        verbose_name_plural = _("threads")
        ordering = ["-last_activity_at", "-id"]
        indexes = [
            models.Index(fields=["community", "-last_activity_at", "-id"], name="thread_community_latest"),
            models.Index(fields=["space", "-last_activity_at", "-id"], name="thread_space_latest"),
            # The HTML lists' order, pinned threads first: without these, a page of 30 sorted all
            # 44,000 visible threads of the benchmark community (90 ms, bench/load.py).
            models.Index(fields=["community", "-is_pinned", "-last_activity_at", "-id"], name="thread_community_board"),
            models.Index(fields=["space", "-is_pinned", "-last_activity_at", "-id"], name="thread_space_board"),
            models.Index(fields=["community", "kind", "-created_at"], name="thread_community_kind"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5), name="thread_rating_1_to_5"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def answered_by_brand(self) -> bool:
        return self.first_brand_response_at is not None

    @property
    def brand_response_seconds(self) -> int | None:
        if self.first_brand_response_at is None:
            return None
        return int((self.first_brand_response_at - self.created_at).total_seconds())


class ThreadTag(models.Model):
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE)
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["thread", "tag"], name="thread_tag_once")]

    def __str__(self) -> str:
        return f"{self.tag_id} on {self.thread_id}"


class Post(TimeStampedModel):
    """The opening post or a reply. `body` is the Markdown source, `body_html` its safe rendering."""

    community = models.ForeignKey("communities.Community", on_delete=models.CASCADE, related_name="posts")
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="posts")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="posts"
    )
    is_opening = models.BooleanField(default=False)
    reply_to = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="replies", verbose_name=_("reply to")
    )
    body = models.TextField(_("text"))
    body_html = models.TextField(editable=False)
    is_official = models.BooleanField(_("official"), default=False, help_text=_("Written by the brand's people."))
    is_hidden = models.BooleanField(_("hidden"), default=False)
    # A wiki post may be edited by members trusted to edit wikis (trust level 3), not only its author.
    is_wiki = models.BooleanField(_("wiki"), default=False)
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True)
    deleted_at = models.DateTimeField(_("deleted"), null=True, blank=True)
    language = models.CharField(_("language"), max_length=12, blank=True)

    class Meta:
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["thread", "created_at", "id"], name="post_thread_order"),
            models.Index(fields=["community", "-created_at"], name="post_community_time"),
            models.Index(fields=["author", "-created_at"], name="post_author_time"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["thread"], condition=Q(is_opening=True), name="one_opening_post"),
        ]

    def __str__(self) -> str:
        return f"post {self.pk} in {self.thread_id}"

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None


class PostRevision(models.Model):
    """A body as it was before an edit; the history of a post is kept, never overwritten."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    body = models.TextField()
    title = models.CharField(max_length=MAX_TITLE_CHARS, blank=True)
    edited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"revision of post {self.post_id}"


class Reaction(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reactions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reactions")
    kind = models.CharField(max_length=16, choices=ReactionKind.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["post", "user", "kind"], name="react_once_per_kind")]
        indexes = [models.Index(fields=["post", "kind"], name="reaction_post_kind")]

    def __str__(self) -> str:
        return f"{self.kind} on post {self.post_id}"


class Follow(models.Model):
    """A member follows exactly one of: a thread, a space or a tag."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows")
    thread = models.ForeignKey(Thread, null=True, blank=True, on_delete=models.CASCADE, related_name="follows")
    space = models.ForeignKey(
        "communities.Space", null=True, blank=True, on_delete=models.CASCADE, related_name="follows"
    )
    tag = models.ForeignKey(Tag, null=True, blank=True, on_delete=models.CASCADE, related_name="follows")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(thread__isnull=False, space__isnull=True, tag__isnull=True)
                    | Q(thread__isnull=True, space__isnull=False, tag__isnull=True)
                    | Q(thread__isnull=True, space__isnull=True, tag__isnull=False)
                ),
                name="follow_exactly_one_target",
            ),
            models.UniqueConstraint(fields=["user", "thread"], name="follow_thread_once"),
            models.UniqueConstraint(fields=["user", "space"], name="follow_space_once"),
            models.UniqueConstraint(fields=["user", "tag"], name="follow_tag_once"),
        ]

    def __str__(self) -> str:
        return f"follow by {self.user_id}"


class Bookmark(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="bookmarks")
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="bookmarks")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["user", "thread"], name="bookmark_once")]

    def __str__(self) -> str:
        return f"bookmark of {self.thread_id} by {self.user_id}"


class Collection(TimeStampedModel):
    """A member-curated, public list of threads (the collectors of the Technographics ladder)."""

    community = models.ForeignKey("communities.Community", on_delete=models.CASCADE, related_name="collections")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="collections")
    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("description"), max_length=2000, blank=True)
    is_public = models.BooleanField(_("public"), default=True)
    threads: models.ManyToManyField[Thread, CollectionItem] = models.ManyToManyField(
        Thread, through="CollectionItem", related_name="collections"
    )

    class Meta:
        verbose_name = _("collection")
        verbose_name_plural = _("collections")
        ordering = ["-updated_at", "-id"]

    def __str__(self) -> str:
        return self.title


class CollectionItem(models.Model):
    collection = models.ForeignKey(Collection, on_delete=models.CASCADE, related_name="items")
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="+")
    note = models.CharField(_("note"), max_length=300, blank=True)
    position = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["collection", "thread"], name="collect_thread_once")]

    def __str__(self) -> str:
        return f"{self.thread_id} in {self.collection_id}"


class ThreadRead(models.Model):
    """One row per member and thread, upserted on each view: readers are counted without a row per page view."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="reads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="thread_reads")
    community = models.ForeignKey("communities.Community", on_delete=models.CASCADE, related_name="+")
    first_read_at = models.DateTimeField(auto_now_add=True)
    last_read_at = models.DateTimeField(auto_now=True)
    times = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["thread", "user"], name="thread_read_once")]
        indexes = [models.Index(fields=["community", "user"], name="thread_read_member")]

    def __str__(self) -> str:
        return f"{self.user_id} read {self.thread_id}"


class Draft(models.Model):
    """A member's unsent thread (in a space) or reply (to a thread), kept as they type.

    Exactly one of `space` and `thread` is set. Drafts are private: only their author ever sees
    them, so nothing else reads this table (no admin, no export to others, no activity log).
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="drafts")
    community = models.ForeignKey("communities.Community", on_delete=models.CASCADE, related_name="+")
    space = models.ForeignKey(
        "communities.Space", null=True, blank=True, on_delete=models.CASCADE, related_name="drafts"
    )
    thread = models.ForeignKey(Thread, null=True, blank=True, on_delete=models.CASCADE, related_name="drafts")
    title = models.CharField(_("title"), max_length=MAX_TITLE_CHARS, blank=True)
    body = models.TextField(_("text"), max_length=MAX_BODY_CHARS, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=ThreadKind.choices, blank=True)
    updated_at = models.DateTimeField(_("saved"), auto_now=True)

    class Meta:
        verbose_name = _("draft")
        verbose_name_plural = _("drafts")
        ordering = ["-updated_at", "-id"]
        indexes = [models.Index(fields=["user", "community", "-updated_at"], name="draft_member_latest")]
        constraints = [
            models.CheckConstraint(
                condition=Q(space__isnull=False, thread__isnull=True) | Q(space__isnull=True, thread__isnull=False),
                name="draft_space_or_thread",
            ),
            models.UniqueConstraint(
                fields=["user", "space"], condition=Q(space__isnull=False), name="draft_once_per_space"
            ),
            models.UniqueConstraint(
                fields=["user", "thread"], condition=Q(thread__isnull=False), name="draft_once_per_thread"
            ),
        ]

    def __str__(self) -> str:
        return f"draft {self.pk} by {self.user_id}"
