"""The built-in badges every community starts with; their rules are in `badges.py`.

Names and descriptions are translated when shown, until a manager renames a badge. A badge with
`automatic=False` is given by managers by hand (e.g. to those who attended an event).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from belong.recognition.models import BadgeTier


@dataclass(frozen=True)
class BadgeSpec:
    key: str
    name: Any
    description: Any
    icon: str
    tier: str = BadgeTier.BRONZE
    repeatable: bool = False
    automatic: bool = True


CATALOGUE: list[BadgeSpec] = [
    BadgeSpec("welcome", _("Welcome"), _("Joined the community."), "👋"),
    BadgeSpec("first-post", _("First post"), _("Wrote a first thread or reply."), "✍️"),
    BadgeSpec("first-answer", _("First accepted answer"), _("A reply was accepted as the answer to a question."), "✅"),
    BadgeSpec("problem-solver", _("Problem solver"), _("Ten replies accepted as answers."), "🧩", BadgeTier.SILVER),
    BadgeSpec("helpful", _("Helpful"), _("Received ten “Helpful” reactions."), "🤝"),
    BadgeSpec("very-helpful", _("Very helpful"), _("Received fifty “Helpful” reactions."), "🌟", BadgeTier.SILVER),
    BadgeSpec("appreciated", _("Appreciated"), _("A post received ten reactions."), "❤️", repeatable=True),
    BadgeSpec(
        "conversation-starter",
        _("Conversation starter"),
        _("A thread drew ten replies from others."),
        "💬",
        repeatable=True,
    ),
    BadgeSpec("storyteller", _("Storyteller"), _("Shared three experience stories."), "📖", BadgeTier.SILVER),
    BadgeSpec("reviewer", _("Reviewer"), _("Wrote a first product review."), "⭐"),
    BadgeSpec("collector", _("Collector"), _("Saved ten threads into collections."), "🗂️"),
    BadgeSpec("voice", _("Voice"), _("Proposed a first idea."), "💡"),
    BadgeSpec("supporter", _("Supporter"), _("Voted for ten ideas of others."), "🗳️"),
    BadgeSpec(
        "idea-shipped", _("Idea shipped"), _("An idea you proposed shipped."), "🚀", BadgeTier.GOLD, repeatable=True
    ),
    BadgeSpec(
        "critic", _("Critic"), _("Your feedback on an idea helped it ship."), "🔍", BadgeTier.SILVER, repeatable=True
    ),
    BadgeSpec("beta-tester", _("Beta tester"), _("Joined a private beta group."), "🧪"),
    BadgeSpec("regular", _("Regular"), _("Reached trust level 3."), "🏠", BadgeTier.SILVER),
    BadgeSpec("ambassador", _("Ambassador"), _("Joined the ambassador programme."), "🎖️", BadgeTier.GOLD),
    BadgeSpec("expert", _("Expert"), _("Joined the expert programme."), "🎓", BadgeTier.GOLD),
    BadgeSpec(
        "event-attendee",
        _("Event attendee"),
        _("Took part in a community event."),
        "🎟️",
        repeatable=True,
        automatic=False,
    ),
    BadgeSpec("anniversary-1", _("One year"), _("A member for a year."), "🎂"),
    BadgeSpec("anniversary-2", _("Two years"), _("A member for two years."), "🎂", BadgeTier.SILVER),
    BadgeSpec("anniversary-5", _("Five years"), _("A member for five years."), "🎂", BadgeTier.GOLD),
]

BADGES: dict[str, BadgeSpec] = {spec.key: spec for spec in CATALOGUE}
