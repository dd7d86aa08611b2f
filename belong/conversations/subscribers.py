"""How conversations react to their own events: keeping the search index in step with the posts.

Each handler runs after the transaction commits and writes one row, so it runs inline rather than
as a task. Hiding a thread or a post needs no handler: search decides visibility when it runs.
"""

from __future__ import annotations

from belong.conversations import search
from belong.conversations.events import PostCreated, PostDeleted, PostEdited
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
