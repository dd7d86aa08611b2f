"""The workflow a community's board starts with, written the first time the board is used."""

from __future__ import annotations

from belong.communities.models import Community
from belong.ideas.models import DEFAULT_STATUSES, FIRST_STATUS, IdeaStatus


def statuses_of(community: Community) -> list[IdeaStatus]:
    """The community's statuses in order, creating the built-in six if it has none yet.

    Safe when two requests race: the unique constraints make the second insert a no-op.
    """
    statuses = list(IdeaStatus.objects.filter(community=community))
    if statuses:
        return statuses
    IdeaStatus.objects.bulk_create(
        [
            IdeaStatus(
                community=community,
                key=key,
                position=position,
                is_open=is_open,
                on_roadmap=on_roadmap,
                is_shipped=is_shipped,
                is_initial=key == FIRST_STATUS,
            )
            for position, (key, _label, is_open, on_roadmap, is_shipped) in enumerate(DEFAULT_STATUSES)
        ],
        ignore_conflicts=True,
    )
    return list(IdeaStatus.objects.filter(community=community))


def initial_status(community: Community) -> IdeaStatus:
    """Where new ideas start: the status marked for new ideas, else the first in order."""
    statuses = statuses_of(community)
    return next((status for status in statuses if status.is_initial), statuses[0])
