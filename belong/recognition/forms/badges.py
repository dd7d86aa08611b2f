"""Forms of badges: a badge of the community's own (or changes to a built-in one), and awards by hand."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from belong.recognition.badges import MAX_REASON_CHARS
from belong.recognition.models import Badge, BadgeTier


class BadgeForm(forms.Form):
    """A new badge (with its key) or the changes to one (`badge`); a built-in badge keeps its key and its rule."""

    key = forms.CharField(
        label=_("Key"),
        max_length=60,
        help_text=_("Its address, e.g. “meetup-speaker”: letters, digits and dashes. It cannot change later."),
    )
    name = forms.CharField(label=_("Name"), max_length=60)
    description = forms.CharField(
        label=_("Description"),
        max_length=300,
        required=False,
        help_text=_("What earns it, in a sentence."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    icon = forms.CharField(label=_("Icon"), max_length=8, initial="🏅", help_text=_("An emoji, e.g. 🎤."))
    tier = forms.ChoiceField(label=_("Tier"), choices=BadgeTier.choices, initial=BadgeTier.BRONZE)
    repeatable = forms.BooleanField(
        label=_("Can be earned again"), required=False, help_text=_("Give it to the same member more than once.")
    )
    is_enabled = forms.BooleanField(
        label=_("Enabled"), required=False, initial=True, help_text=_("A badge switched off is given to no one.")
    )

    def __init__(self, *args: Any, badge: Badge | None = None, **kwargs: Any) -> None:
        if badge is not None:
            kwargs.setdefault(
                "initial",
                {
                    "name": badge.name,
                    "description": badge.description,
                    "icon": badge.icon,
                    "tier": badge.tier,
                    "repeatable": badge.repeatable,
                    "is_enabled": badge.is_enabled,
                },
            )
        super().__init__(*args, **kwargs)
        self.badge = badge
        if badge is not None:
            del self.fields["key"]
        if badge is not None and badge.builtin:
            del self.fields["repeatable"]
            for field, built_in in (("name", badge.label), ("description", badge.explanation)):
                self.fields[field].required = False
                self.fields[field].help_text = _("Blank keeps the built-in text: “%(text)s”.") % {"text": built_in}

    def changes(self) -> dict[str, Any]:
        """The fields as the badge actions take them (all of them: unchanged ones change nothing)."""
        return {name: value for name, value in self.cleaned_data.items() if name != "key"}


class AwardForm(forms.Form):
    handle = forms.CharField(
        label=_("Member"), max_length=31, help_text=_("Their handle, e.g. maria."), widget=forms.TextInput()
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=MAX_REASON_CHARS,
        help_text=_("They see it beside the badge, e.g. “Spoke at the Lisbon meetup”."),
    )


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=MAX_REASON_CHARS, required=False)
