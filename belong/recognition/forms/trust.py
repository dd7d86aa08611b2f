"""Forms of recognition: pinning a member's trust level."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from belong.recognition.trust import LEVEL_NAMES, LEVELS

AUTOMATIC = ""


def _level_choices() -> list[tuple[str, str]]:
    choices = [(AUTOMATIC, _("Automatic: earned from activity"))]
    for level in LEVELS:
        choices.append((str(level), _("%(level)d · %(name)s") % {"level": level, "name": LEVEL_NAMES[level]}))
    return choices


class PinTrustForm(forms.Form):
    """A manager's choice: a level to pin the member at, or automatic (unpinned)."""

    level = forms.TypedChoiceField(
        label=gettext_lazy("Trust level"),
        coerce=int,
        empty_value=None,
        required=False,
        help_text=gettext_lazy("A pinned level stays whatever the member does; automatic follows their activity."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["level"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = _level_choices()
