from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ModerationConfig(AppConfig):
    name = "belong.moderation"
    label = "moderation"
    verbose_name = _("Moderation")

    def ready(self) -> None:
        from belong.core.screening import register_screener
        from belong.moderation import (
            permissions,  # noqa: F401  (registers the rules into `can`)
            subscribers,  # noqa: F401  (insights' signals into the queue; members told why)
        )
        from belong.moderation.screening import ModerationScreener

        register_screener(ModerationScreener())
