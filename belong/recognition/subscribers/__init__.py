"""Recognition reacts to events only: each module subscribes to what it needs."""

from belong.recognition.subscribers import (  # noqa: F401  (each module registers its handlers)
    badges,
    celebrations,
    perks,
    points,
    programme,
    trust,
)
