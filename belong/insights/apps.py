from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightsConfig(AppConfig):
    name = "belong.insights"
    label = "insights"
    verbose_name = _("Insights")

    def ready(self) -> None:
        from belong.insights import (
            checks,  # noqa: F401  (a missing or corrupt model file is one clear error at start-up)
            permissions,  # noqa: F401  (registers the rules into `can`)
            subscribers,  # noqa: F401  (analyses new and edited posts)
        )
