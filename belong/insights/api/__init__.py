"""Community intelligence's API: one router per part, mounted together under /api/v1/.

Everything is for the community's managers but similar threads, which anyone who can see the thread may ask for.
"""

from ninja import Router

from belong.insights.api import alerts, overview, posts, similar, themes

router = Router()
for part in (overview, alerts, themes, posts, similar):
    router.add_router("", part.router)
