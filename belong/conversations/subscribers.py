"""How conversations react to their own events: the search index keeps step, posted drafts go.

Each handler runs after the transaction commits and writes one row, so it runs inline rather than
as a task. Hiding a thread or a post needs no handler: search decides visibility when it runs.
"""

from __future__ import annotations

from belong.conversations import search
from belong.conversations.events import PostCreated, PostDeleted, PostEdited, ThreadStarted
from belong.conversations.models import BOARD_KINDS, Draft
from belong.core.events import subscribe


@subscribe(PostCreated)
def index_new_post(event: PostCreated) -> None:
    """Index a reply, or an opening post with its thread's title."""
    search.index_post(event.post_id)


@subscribe(PostEdited)
def reindex_edited_post(event: PostEdited) -> None:
    """Replace the words of an edited post (and of a retitled thread's opening post)."""
    search.index_post(event.post_id)


@subscribe(PostDeleted)
def unindex_deleted_post(event: PostDeleted) -> None:
    """Take a deleted post out of the index."""
    search.unindex_post(event.post_id)


@subscribe(ThreadStarted)
def drop_draft_of_started_thread(event: ThreadStarted) -> None:
    """The member's draft of a new thread in that space is sent now (a board's threads are not from the form)."""
    if event.actor_id is not None and event.kind not in BOARD_KINDS:
        Draft.objects.filter(user_id=event.actor_id, space__threads=event.thread_id).delete()


@subscribe(PostCreated)
def drop_draft_of_posted_reply(event: PostCreated) -> None:
    """The member's draft of a reply to that thread is sent now."""
    if event.actor_id is not None and not event.is_opening:
        Draft.objects.filter(user_id=event.actor_id, thread_id=event.thread_id).delete()
