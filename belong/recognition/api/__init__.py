"""Recognition's API: one router per part, mounted together under /api/v1/."""

from ninja import Router

from belong.recognition.api import badges, celebrations, perks, points, profile, programme, trust

router = Router()
for part in (points, badges, trust, perks, celebrations, programme, profile):
    router.add_router("", part.router)
