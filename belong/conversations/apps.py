from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConversationsConfig(AppConfig):
    name = "belong.conversations"
    label = "conversations"
    verbose_name = _("Conversations")

    def ready(self) -> None:
        from belong.conversations import (
            permissions,  # noqa: F401  (registers the rules into `can`)
            subscribers,  # noqa: F401  (keeps the search index in step)
        )
