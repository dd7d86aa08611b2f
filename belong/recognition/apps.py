from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecognitionConfig(AppConfig):
    name = "belong.recognition"
    label = "recognition"
    verbose_name = _("Recognition")

    def ready(self) -> None:
        from belong.recognition import (
            labels,  # noqa: F401  (puts rank and expert areas beside authors' names)
            permissions,  # noqa: F401  (registers the rules into `can`)
            subscribers,  # noqa: F401  (points, badges, trust, perks and celebrations react to events)
        )
