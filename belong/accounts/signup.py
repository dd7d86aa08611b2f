"""allauth's sign-up form, speaking of a handle where allauth says username.

Kept apart from forms.py: allauth builds its SignupForm on top of ACCOUNT_SIGNUP_FORM_CLASS
(forms.SignupExtraForm), so importing allauth's forms from there would be circular.
"""

from __future__ import annotations

from typing import Any

from allauth.account.forms import SignupForm as AllauthSignupForm
from django.utils.translation import gettext_lazy as _


class SignupForm(AllauthSignupForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        handle = self.fields.get("username")
        if handle is not None:
            handle.label = _("Handle")
            handle.help_text = _("How others mention you, e.g. @maria. Letters, digits, dots, dashes and underscores.")
            handle.widget.attrs["placeholder"] = _("e.g. maria")
