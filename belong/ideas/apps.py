from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IdeasConfig(AppConfig):
    name = "belong.ideas"
    label = "ideas"
    verbose_name = _("Ideas")

    def ready(self) -> None:
        from belong.ideas import (
            permissions,  # noqa: F401  (registers the rules into `can`)
            subscribers,  # noqa: F401  (tells voters, followers and beta invitees)
        )
