"""New and edited posts are analysed in a task; deleted ones leave the analyses.

Analysis runs only when `BELONG_INSIGHTS_ENABLED` is on (the default). The test settings turn
it off so the rest of the suite does not load the models; the insights tests turn it on.
"""

from __future__ import annotations

from django.conf import settings

from belong.conversations import events as conversation_events
from belong.core.events import subscribe
from belong.insights import calibration, tasks
from belong.insights.events import SentimentCorrected
from belong.insights.models import SentimentCorrection


def _enabled() -> bool:
    return bool(getattr(settings, "BELONG_INSIGHTS_ENABLED", True))


@subscribe(conversation_events.PostCreated)
def post_created(event: conversation_events.PostCreated) -> None:
    if _enabled():
        tasks.analyse_post.enqueue(event.post_id)


@subscribe(conversation_events.PostEdited)
def post_edited(event: conversation_events.PostEdited) -> None:
    if _enabled():
        tasks.analyse_post.enqueue(event.post_id)


@subscribe(conversation_events.PostDeleted)
def post_deleted(event: conversation_events.PostDeleted) -> None:
    if _enabled():
        tasks.forget_post.enqueue(event.post_id)


@subscribe(SentimentCorrected)
def sentiment_corrected(event: SentimentCorrected) -> None:
    """Every `CORRECTIONS_PER_RECALIBRATION` corrections (once there are enough), refit the community's map."""
    if not _enabled() or event.community_id is None:
        return
    count = SentimentCorrection.objects.filter(community_id=event.community_id).count()
    if count >= calibration.MIN_CORRECTIONS and count % calibration.CORRECTIONS_PER_RECALIBRATION == 0:
        tasks.recalibrate_community.enqueue(event.community_id)
