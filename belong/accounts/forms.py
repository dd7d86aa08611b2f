"""Account forms: the extra sign-up fields and the profile form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _


class SignupExtraForm(forms.Form):
    """Fields allauth's sign-up form adds to its own (e-mail, handle, password)."""

    display_name = forms.CharField(
        label=_("Display name"),
        max_length=80,
        required=False,
        help_text=_("Shown beside your posts; your handle is used if empty."),
    )
    locale = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES, initial="en")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from django.utils.translation import get_language

        self.fields["locale"].initial = (get_language() or "en")[:2]

    def signup(self, request: HttpRequest, user: Any) -> None:
        user.display_name = self.cleaned_data.get("display_name", "")
        user.locale = self.cleaned_data.get("locale") or "en"
        user.save(update_fields=["display_name", "locale"])
