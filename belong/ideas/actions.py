"""Every change on the idea board: proposing, voting, statuses, merging, categories and beta groups.

Each action checks permission through `can`, runs in one transaction, writes the activity log and
publishes its event after commit. Actions that count votes lock the idea's row first, so votes
arriving together are counted one after another, never twice and never lost.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F, Max, Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from belong.accounts.models import User
from belong.communities.actions import grant_space_access, revoke_space_access
from belong.communities.models import Community, Membership, MembershipState, Space, SpaceVisibility
from belong.communities.permissions import check
from belong.conversations import actions as conversations
from belong.conversations import search
from belong.conversations.models import Bookmark, Follow, Post, Product, Thread, ThreadKind
from belong.core.activity import record_activity
from belong.core.errors import Conflict, Invalid
from belong.core.events import on_commit_publish
from belong.core.richtext import clean_body, render_markdown
from belong.core.validation import validate_instance
from belong.ideas import events
from belong.ideas.defaults import initial_status, statuses_of
from belong.ideas.models import (
    BetaGroup,
    BetaInvitation,
    BetaInvitationState,
    Idea,
    IdeaCategory,
    IdeaStatus,
    IdeaVote,
    Importance,
    StatusChange,
)
from belong.ideas.permissions import IdeaAction as Can

NOT_GIVEN: Any = object()
STATUS_FIELDS = ("name", "description", "position", "is_open", "on_roadmap", "is_shipped", "is_initial")


class Verb:
    PROPOSED = "idea.proposed"
    EDITED = "idea.edited"
    VOTED = "idea.voted"
    VOTE_CHANGED = "idea.vote_changed"
    VOTE_WITHDRAWN = "idea.vote_withdrawn"
    STATUS_CHANGED = "idea.status_changed"
    MERGED = "idea.merged"
    STATUS_CREATED = "idea_status.created"
    STATUS_UPDATED = "idea_status.updated"
    STATUS_DELETED = "idea_status.deleted"
    CATEGORY_CREATED = "idea_category.created"
    CATEGORY_UPDATED = "idea_category.updated"
    CATEGORY_DELETED = "idea_category.deleted"
    BETA_CREATED = "beta.created"
    BETA_INVITED = "beta.invited"
    BETA_ACCEPTED = "beta.accepted"
    BETA_DECLINED = "beta.declined"
    BETA_REMOVED = "beta.removed"


def _in_community(community: Community, **objects: Any) -> None:
    """Refuse a category, product or idea of another community (an id guessed through the API)."""
    for field, obj in objects.items():
        if obj is not None and obj.community_id != community.pk:
            raise Invalid(_("That belongs to another community."), errors={field: [_("Pick one of the listed.")]})


@contextmanager
def _fields_named(**renames: str) -> Iterator[None]:
    """Report a refusal of the conversations layer under the idea's own field names (its body is the description)."""
    try:
        yield
    except Invalid as error:
        error.errors = {renames.get(name, name): messages for name, messages in error.errors.items()}
        raise


def _locked(idea: Idea) -> Idea:
    """The idea's row, locked until the transaction ends, with what the checks read."""
    return (
        Idea.objects.select_for_update(of=("self",))
        .select_related("thread__space__community", "thread__community", "status", "community")
        .get(pk=idea.pk)
    )


def _recount_votes(idea: Idea) -> int:
    idea.vote_count = IdeaVote.objects.filter(idea=idea).count()
    Idea.objects.filter(pk=idea.pk).update(vote_count=idea.vote_count)
    return idea.vote_count


@transaction.atomic
def propose_idea(
    *,
    author: Any,
    space: Space,
    title: str,
    description: str,
    category: IdeaCategory | None = None,
    product: Product | None = None,
) -> Idea:
    """Propose an idea in a space: its thread carries the words, and the author's vote comes with it."""
    check(author, Can.PROPOSE_IDEA, space)
    _in_community(space.community, category=category, product=product)
    status = initial_status(space.community)
    with _fields_named(body="description"):
        thread = conversations.create_thread(
            author=author, space=space, kind=ThreadKind.IDEA, title=title, body=description, board=True
        )
    idea = Idea.objects.create(
        thread=thread,
        community=space.community,
        status=status,
        category=category,
        product=product,
        status_changed_at=thread.created_at,
    )
    IdeaVote.objects.create(idea=idea, user=author)
    _recount_votes(idea)
    record_activity(actor=author, verb=Verb.PROPOSED, target=idea, data={"space": space.pk})
    on_commit_publish(events.IdeaProposed(community_id=idea.community_id, actor_id=author.pk, idea_id=idea.pk))
    return idea


@transaction.atomic
def edit_idea(
    *,
    editor: Any,
    idea: Idea,
    title: str | None = None,
    description: str | None = None,
    category: IdeaCategory | None = NOT_GIVEN,
    product: Product | None = NOT_GIVEN,
) -> Idea:
    """Change an idea's words (kept as the opening post's history), category or product."""
    idea = _locked(idea)
    check(editor, Can.EDIT_IDEA, idea)
    changed: list[str] = []
    if title is not None or description is not None:
        opening = Post.objects.select_related("thread__space", "thread__community").get(
            thread=idea.thread, is_opening=True
        )
        body = description if description is not None else opening.body
        with _fields_named(body="description"):
            conversations.edit_post(editor=editor, post=opening, body=body, title=title)
        changed += [name for name, value in (("title", title), ("description", description)) if value is not None]
    for field, value in (("category", category), ("product", product)):
        if value is not NOT_GIVEN and getattr(idea, f"{field}_id") != getattr(value, "pk", None):
            _in_community(idea.community, **{field: value})
            setattr(idea, field, value)
            changed.append(field)
    if {"category", "product"} & set(changed):
        idea.save(update_fields=[f for f in ("category", "product") if f in changed])
    if changed:
        record_activity(actor=editor, verb=Verb.EDITED, target=idea, data={"changed": changed})
    idea.thread.refresh_from_db(fields=["title"])
    return idea


def _ensure_takes_votes(idea: Idea) -> None:
    reason = idea.closed_for_votes_because()
    if reason:
        raise Conflict(reason)


def _clean_importance(importance: str | None) -> str:
    importance = importance or ""
    if importance and importance not in Importance.values:
        raise Invalid(
            _("Unknown importance: %(importance)s") % {"importance": importance},
            errors={"importance": [_("Pick one of the listed.")]},
        )
    return importance


@transaction.atomic
def vote(*, user: Any, idea: Idea, importance: str | None = None) -> IdeaVote:
    """Vote for an idea once, or change how important it is to you."""
    idea = _locked(idea)
    check(user, Can.VOTE, idea)
    _ensure_takes_votes(idea)
    importance = _clean_importance(importance)
    existing = IdeaVote.objects.filter(idea=idea, user=user).first()
    if existing is not None:
        if existing.importance != importance:
            existing.importance = importance
            existing.save(update_fields=["importance", "updated_at"])
            record_activity(actor=user, verb=Verb.VOTE_CHANGED, target=idea, data={"importance": importance})
        return existing
    try:
        with transaction.atomic():
            ballot = IdeaVote.objects.create(idea=idea, user=user, importance=importance)
    except IntegrityError:
        # Only reachable without the row lock (a database that ignores FOR UPDATE); the vote stands once.
        return IdeaVote.objects.get(idea=idea, user=user)
    _recount_votes(idea)
    record_activity(
        actor=user, verb=Verb.VOTED, target=idea, recipient=idea.thread.author_id, data={"importance": importance}
    )
    on_commit_publish(
        events.IdeaVoted(
            community_id=idea.community_id, actor_id=user.pk, idea_id=idea.pk, idea_author_id=idea.thread.author_id
        )
    )
    return ballot


@transaction.atomic
def withdraw_vote(*, user: Any, idea: Idea) -> Idea:
    """Take one's vote back while the idea still takes votes; withdrawing twice changes nothing."""
    idea = _locked(idea)
    check(user, Can.VOTE, idea)
    _ensure_takes_votes(idea)
    deleted, _rows = IdeaVote.objects.filter(idea=idea, user=user).delete()
    if deleted:
        _recount_votes(idea)
        record_activity(actor=user, verb=Verb.VOTE_WITHDRAWN, target=idea, recipient=idea.thread.author_id)
        on_commit_publish(
            events.IdeaVoteWithdrawn(
                community_id=idea.community_id,
                actor_id=user.pk,
                idea_id=idea.pk,
                idea_author_id=idea.thread.author_id,
            )
        )
    return idea


def _status_by_key(community: Community, key: str) -> IdeaStatus:
    status = next((s for s in statuses_of(community) if s.key == key), None)
    if status is None:
        raise Invalid(
            _("Unknown status: %(status)s") % {"status": key}, errors={"status": [_("Pick one of the listed.")]}
        )
    return status


@transaction.atomic
def change_status(*, actor: Any, idea: Idea, status: str, note: str = "") -> StatusChange:
    """Move an idea to another status with a public note; voters and followers are told."""
    idea = _locked(idea)
    check(actor, Can.CHANGE_STATUS, idea)
    target = _status_by_key(idea.community, status)
    if idea.merged_into_id is not None:
        raise Conflict(_("This idea was merged into another one; change that one's status."))
    if target.pk == idea.status_id:
        raise Conflict(_("The idea is already %(status)s.") % {"status": target.label})
    with _fields_named(body="note"):
        note = clean_body(note) if note.strip() else ""
    previous = idea.status
    now = timezone.now()
    change = StatusChange.objects.create(
        idea=idea,
        from_status=previous,
        to_status=target,
        note=note,
        note_html=render_markdown(note) if note else "",
        changed_by=actor,
    )
    idea.status = target
    idea.status_changed_at = now
    if target.is_shipped and idea.shipped_at is None:
        idea.shipped_at = now
    elif not target.is_shipped:
        idea.shipped_at = None
    idea.save(update_fields=["status", "status_changed_at", "shipped_at"])
    record_activity(actor=actor, verb=Verb.STATUS_CHANGED, target=idea, data={"from": previous.key, "to": target.key})
    on_commit_publish(
        events.IdeaStatusChanged(
            community_id=idea.community_id,
            actor_id=actor.pk,
            idea_id=idea.pk,
            change_id=change.pk,
            from_status=previous.key,
            to_status=target.key,
            shipped=target.is_shipped,
        )
    )
    return change


def _final_target(source: Idea, target: Idea) -> Idea:
    """Follow the target's own merges to the idea that stands, refusing a chain that leads back."""
    seen = {source.pk}
    while True:
        if target.pk in seen:
            raise Invalid(
                _("That would merge the idea into itself: the chain of merges leads back to it."),
                errors={"target": [_("Pick an idea that was not merged into this one.")]},
            )
        seen.add(target.pk)
        if target.merged_into_id is None:
            return target
        target = Idea.objects.select_related("thread").get(pk=target.merged_into_id)


def _move_votes(source: Idea, target: Idea) -> int:
    """Move the votes of members who have none on the target; the others' target vote stands."""
    on_target = IdeaVote.objects.filter(idea=target).values("user_id")
    moved = IdeaVote.objects.filter(idea=source).exclude(user_id__in=on_target).update(idea=target)
    IdeaVote.objects.filter(idea=source).delete()
    return moved


def _move_discussion(source: Idea, target: Idea) -> int:
    """Move the replies (with their reactions and history) into the target's thread and reindex them."""
    replies = Post.objects.filter(thread_id=source.pk, is_opening=False)
    moved_ids = list(replies.values_list("pk", flat=True))
    replies.update(thread_id=target.pk)
    # A reply to the duplicate's description now stands on its own in the target's discussion.
    Post.objects.filter(pk__in=moved_ids, reply_to__thread_id=source.pk).update(reply_to=None)
    for thread_id in (source.pk, target.pk):
        posts = Post.objects.filter(thread_id=thread_id, is_opening=False, deleted_at__isnull=True)
        latest = Post.objects.filter(thread_id=thread_id).aggregate(at=Max("created_at"))["at"]
        Thread.objects.filter(pk=thread_id).update(reply_count=posts.count(), last_activity_at=latest)
    search.index_posts(Post.objects.filter(pk__in=moved_ids).select_related("thread"))
    return len(moved_ids)


def _move_followers(source: Idea, target: Idea) -> int:
    following = Follow.objects.filter(thread_id=target.pk).values("user_id")
    moved = Follow.objects.filter(thread_id=source.pk).exclude(user_id__in=following).update(thread_id=target.pk)
    Follow.objects.filter(thread_id=source.pk).delete()
    bookmarked = Bookmark.objects.filter(thread_id=target.pk).values("user_id")
    Bookmark.objects.filter(thread_id=source.pk).exclude(user_id__in=bookmarked).update(thread_id=target.pk)
    Bookmark.objects.filter(thread_id=source.pk).delete()
    return moved


@transaction.atomic
def merge_ideas(*, actor: Any, source: Idea, target: Idea) -> Idea:
    """Merge a duplicate into another idea: votes (each member once), replies and followers move,
    and the duplicate's page sends readers on. Returns the idea that stands."""
    if source.pk == target.pk:
        raise Invalid(_("An idea cannot be merged into itself."), errors={"target": [_("Pick another idea.")]})
    # Lock both rows in id order, so two merges of the same pair wait for each other instead of deadlocking.
    first, second = sorted((source, target), key=lambda idea: idea.pk)
    locked = {first.pk: _locked(first), second.pk: _locked(second)}
    source, target = locked[source.pk], locked[target.pk]
    check(actor, Can.MERGE_IDEAS, source)
    check(actor, Can.MERGE_IDEAS, target)
    if source.merged_into_id is not None:
        raise Conflict(_("This idea was already merged into another one."))
    _in_community(source.community, target=target)
    final = _final_target(source, target)
    if final.pk != target.pk:
        final = _locked(final)
        check(actor, Can.MERGE_IDEAS, final)
    votes_moved = _move_votes(source, final)
    posts_moved = _move_discussion(source, final)
    followers_moved = _move_followers(source, final)
    _recount_votes(source)
    _recount_votes(final)
    source.merged_into = final
    source.merged_at = timezone.now()
    source.save(update_fields=["merged_into", "merged_at"])
    Thread.objects.filter(pk=source.pk).update(is_locked=True)
    record_activity(
        actor=actor,
        verb=Verb.MERGED,
        target=source,
        data={"into": final.pk, "votes": votes_moved, "posts": posts_moved, "followers": followers_moved},
    )
    on_commit_publish(
        events.IdeasMerged(
            community_id=source.community_id,
            actor_id=actor.pk,
            source_id=source.pk,
            target_id=final.pk,
            votes_moved=votes_moved,
        )
    )
    return final


# Statuses and categories (managers) ------------------------------------------------------------


def _clean_status_flags(status: IdeaStatus) -> None:
    if status.is_shipped and status.is_open:
        raise Invalid(
            _("A shipped status cannot take votes."), errors={"is_open": [_("Close voting for shipped ideas.")]}
        )


@transaction.atomic
def create_status(*, actor: Any, community: Community, key: str, **fields: Any) -> IdeaStatus:
    """Add a step to the community's workflow, after the existing ones unless a position is given."""
    check(actor, Can.MANAGE_BOARD, community)
    unknown = set(fields) - set(STATUS_FIELDS)
    if unknown:
        raise Invalid(_("Unknown field: %(field)s") % {"field": sorted(unknown)[0]})
    existing = statuses_of(community)
    key = slugify(key).replace("-", "_")
    if not key:
        raise Invalid(_("Give the status a key."), errors={"key": [_("Use letters, digits and underscores.")]})
    if any(status.key == key for status in existing):
        raise Conflict(_("The board already has a status “%(key)s”.") % {"key": key})
    fields.setdefault("position", max((s.position for s in existing), default=-1) + 1)
    status = IdeaStatus(community=community, key=key, **fields)
    _clean_status_flags(status)
    if status.is_initial:
        # Before validating: the constraint allowing one initial status would refuse the new one.
        IdeaStatus.objects.filter(community=community, is_initial=True).update(is_initial=False)
    validate_instance(status)
    status.save()
    record_activity(actor=actor, verb=Verb.STATUS_CREATED, target=status, community=community, data={"key": key})
    return status


@transaction.atomic
def update_status(*, actor: Any, status: IdeaStatus, **changes: Any) -> IdeaStatus:
    """Rename, reorder or change what a status means (open for votes, on the roadmap, shipped, initial)."""
    check(actor, Can.MANAGE_BOARD, status.community)
    unknown = set(changes) - set(STATUS_FIELDS)
    if unknown:
        raise Invalid(_("Unknown field: %(field)s") % {"field": sorted(unknown)[0]})
    status = IdeaStatus.objects.select_for_update().get(pk=status.pk)
    if changes.get("is_initial") is False and status.is_initial:
        raise Invalid(
            _("New ideas need a status: mark another one for new ideas instead."),
            errors={"is_initial": [_("Mark another status for new ideas.")]},
        )
    for field, value in changes.items():
        setattr(status, field, value)
    _clean_status_flags(status)
    if changes.get("is_initial"):
        # Before validating, as in create_status (the transaction undoes it if validation fails).
        IdeaStatus.objects.filter(community_id=status.community_id, is_initial=True).exclude(pk=status.pk).update(
            is_initial=False
        )
    validate_instance(status)
    status.save()
    if "is_shipped" in changes:
        # The changelog dates shipped ideas: those already in a status that now means shipped
        # shipped when they entered it, and leave the changelog when it no longer does.
        ideas = Idea.objects.filter(status=status)
        if status.is_shipped:
            ideas.filter(shipped_at__isnull=True).update(shipped_at=F("status_changed_at"))
        else:
            ideas.update(shipped_at=None)
    record_activity(
        actor=actor,
        verb=Verb.STATUS_UPDATED,
        target=status,
        community=status.community,
        data={"changed": sorted(changes)},
    )
    return status


@transaction.atomic
def delete_status(*, actor: Any, status: IdeaStatus) -> None:
    """Remove a status no idea has ever been in (history keeps its name otherwise)."""
    check(actor, Can.MANAGE_BOARD, status.community)
    used = (
        Idea.objects.filter(status=status).exists()
        or StatusChange.objects.filter(Q(from_status=status) | Q(to_status=status)).exists()
    )
    if used:
        raise Conflict(_("Ideas have been in this status; rename it instead of deleting it."))
    if status.is_initial:
        raise Conflict(_("New ideas start in this status; mark another one for new ideas first."))
    record_activity(
        actor=actor, verb=Verb.STATUS_DELETED, target=None, community=status.community, data={"key": status.key}
    )
    status.delete()


def _category_slug(name: str, slug: str | None) -> str:
    slug = slugify(slug or name, allow_unicode=True)[:60]
    if not slug:
        raise Invalid(_("Give the category a name."), errors={"name": [_("This field is required.")]})
    return slug


@transaction.atomic
def create_category(*, actor: Any, community: Community, name: str, slug: str | None = None) -> IdeaCategory:
    check(actor, Can.MANAGE_BOARD, community)
    slug = _category_slug(name, slug)
    if IdeaCategory.objects.filter(community=community, slug=slug).exists():
        raise Conflict(_("The board already has a category “%(slug)s”.") % {"slug": slug})
    position = IdeaCategory.objects.filter(community=community).count()
    category = IdeaCategory(community=community, name=name.strip(), slug=slug, position=position)
    validate_instance(category)
    category.save()
    record_activity(actor=actor, verb=Verb.CATEGORY_CREATED, target=category, data={"slug": slug})
    return category


@transaction.atomic
def update_category(
    *, actor: Any, category: IdeaCategory, name: str | None = None, position: int | None = None
) -> IdeaCategory:
    check(actor, Can.MANAGE_BOARD, category.community)
    category = IdeaCategory.objects.select_for_update().get(pk=category.pk)
    if name is not None:
        category.name = name.strip()
    if position is not None:
        category.position = position
    validate_instance(category)
    category.save()
    record_activity(actor=actor, verb=Verb.CATEGORY_UPDATED, target=category)
    return category


@transaction.atomic
def delete_category(*, actor: Any, category: IdeaCategory) -> None:
    """Remove a category; its ideas stay on the board without one."""
    check(actor, Can.MANAGE_BOARD, category.community)
    record_activity(
        actor=actor,
        verb=Verb.CATEGORY_DELETED,
        target=None,
        community=category.community,
        data={"slug": category.slug},
    )
    category.delete()


# Private beta groups ----------------------------------------------------------------------------


def _free_space_slug(community: Community, name: str) -> str:
    base = f"beta-{slugify(name)}"[:50].rstrip("-") or "beta"
    taken = set(Space.objects.filter(community=community, slug__startswith=base).values_list("slug", flat=True))
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def create_beta_group(
    *,
    actor: Any,
    community: Community,
    name: str,
    description: str = "",
    idea: Idea | None = None,
    product: Product | None = None,
) -> BetaGroup:
    """Open a private group with its own restricted space, tied to an idea or a product."""
    check(actor, Can.MANAGE_BETA, community)
    _in_community(community, idea=idea, product=product)
    name = name.strip()
    group = BetaGroup(community=community, name=name, description=description.strip(), idea=idea, product=product)
    group.created_by = actor
    validate_instance(group, exclude=["space"])
    position = (Space.objects.filter(community=community).aggregate(last=Max("position"))["last"] or 0) + 1
    group.space = Space.objects.create(
        community=community,
        name=name,
        slug=_free_space_slug(community, name),
        description=description.strip()[:2000],
        visibility=SpaceVisibility.RESTRICTED,
        allowed_roles=[],
        position=position,
    )
    group.save()
    record_activity(
        actor=actor,
        verb=Verb.BETA_CREATED,
        target=group,
        data={"space": group.space_id, "idea": getattr(idea, "pk", None), "product": getattr(product, "pk", None)},
    )
    return group


def _active_members(community: Community, users: Iterable[User]) -> list[User]:
    users = list(users)
    active = set(
        Membership.objects.filter(community=community, user__in=users, state=MembershipState.ACTIVE).values_list(
            "user_id", flat=True
        )
    )
    strangers = [user.handle for user in users if user.pk not in active]
    if strangers:
        raise Invalid(
            _("Only active members can be invited: %(handles)s") % {"handles": ", ".join(strangers)},
            errors={"members": [_("Not a member of this community.")]},
        )
    return users


@transaction.atomic
def invite_to_beta(*, actor: Any, group: BetaGroup, users: Iterable[User], message: str = "") -> list[BetaInvitation]:
    """Ask chosen members into the group; each is e-mailed and answers from their invitations."""
    check(actor, Can.MANAGE_BETA, group.community)
    users = _active_members(group.community, users)
    if not users:
        raise Invalid(_("Choose at least one member."), errors={"members": [_("This field is required.")]})
    existing = {
        invitation.user_id: invitation
        for invitation in BetaInvitation.objects.select_for_update().filter(group=group, user__in=users)
    }
    already = [
        user.handle
        for user in users
        if user.pk in existing
        and existing[user.pk].state in (BetaInvitationState.INVITED, BetaInvitationState.ACCEPTED)
    ]
    if already:
        raise Conflict(_("Already invited or in the group: %(handles)s") % {"handles": ", ".join(already)})
    invitations = []
    for user in users:
        invitation = existing.get(user.pk) or BetaInvitation(group=group, user=user)
        invitation.invited_by = actor
        invitation.message = message.strip()
        invitation.state = BetaInvitationState.INVITED
        invitation.responded_at = None
        invitation.emailed_at = None
        validate_instance(invitation)
        invitation.save()
        invitations.append(invitation)
        record_activity(
            actor=actor, verb=Verb.BETA_INVITED, target=group, data={"user": user.pk, "invitation": invitation.pk}
        )
        on_commit_publish(
            events.BetaMemberInvited(
                community_id=group.community_id,
                actor_id=actor.pk,
                group_id=group.pk,
                invitation_id=invitation.pk,
                user_id=user.pk,
            )
        )
    return invitations


def _locked_invitation(invitation: BetaInvitation) -> BetaInvitation:
    return (
        BetaInvitation.objects.select_for_update(of=("self",))
        .select_related("group__space__community", "group__community")
        .get(pk=invitation.pk)
    )


@transaction.atomic
def answer_beta_invitation(*, user: Any, invitation: BetaInvitation, accept: bool) -> BetaInvitation:
    """Accept (and enter the group's space) or decline an invitation addressed to you."""
    invitation = _locked_invitation(invitation)
    check(user, Can.RESPOND_TO_BETA, invitation)
    if invitation.state != BetaInvitationState.INVITED:
        raise Conflict(_("This invitation was already answered or withdrawn."))
    invitation.state = BetaInvitationState.ACCEPTED if accept else BetaInvitationState.DECLINED
    invitation.responded_at = timezone.now()
    invitation.save(update_fields=["state", "responded_at", "updated_at"])
    if accept:
        grant_space_access(space=invitation.group.space, user=user, granted_by=invitation.invited_by)
    record_activity(
        actor=user,
        verb=Verb.BETA_ACCEPTED if accept else Verb.BETA_DECLINED,
        target=invitation.group,
        data={"invitation": invitation.pk},
    )
    on_commit_publish(
        events.BetaInvitationAnswered(
            community_id=invitation.group.community_id,
            actor_id=user.pk,
            group_id=invitation.group_id,
            invitation_id=invitation.pk,
            accepted=accept,
        )
    )
    return invitation


@transaction.atomic
def remove_from_beta(*, actor: Any, invitation: BetaInvitation) -> BetaInvitation:
    """Withdraw an invitation or take a member out of the group (and its space)."""
    invitation = _locked_invitation(invitation)
    check(actor, Can.MANAGE_BETA, invitation.group.community)
    if invitation.state in (BetaInvitationState.DECLINED, BetaInvitationState.REMOVED):
        raise Conflict(_("This member is not in the group or invited to it."))
    invitation.state = BetaInvitationState.REMOVED
    invitation.save(update_fields=["state", "updated_at"])
    revoke_space_access(space=invitation.group.space, user=invitation.user, revoked_by=actor)
    record_activity(actor=actor, verb=Verb.BETA_REMOVED, target=invitation.group, data={"user": invitation.user_id})
    on_commit_publish(
        events.BetaMemberRemoved(
            community_id=invitation.group.community_id,
            actor_id=actor.pk,
            group_id=invitation.group_id,
            invitation_id=invitation.pk,
            user_id=invitation.user_id,
        )
    )
    return invitation


def moderate_idea(*, actor: Any, idea: Idea, hidden: bool | None = None, locked: bool | None = None) -> Idea:
    """Hide or lock an idea: its thread's moderation, so the idea and its discussion go together."""
    conversations.moderate_thread(actor=actor, thread=idea.thread, hidden=hidden, locked=locked)
    idea.thread.refresh_from_db(fields=["is_hidden", "is_locked"])
    return idea
