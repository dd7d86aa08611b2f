"""Account forms: the extra sign-up fields and the profile form."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any
from zoneinfo import available_timezones

from django import forms
from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from belong.accounts.models import TokenScope
from belong.accounts.validators import handle_validators


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


AVATAR_MAX_BYTES = 1024 * 1024
AVATAR_TYPES = {"PNG", "JPEG", "GIF", "WEBP"}


def time_zone_choices() -> list[tuple[str, str]]:
    return [(zone, zone.replace("_", " ")) for zone in sorted(available_timezones())]


class ProfileForm(forms.Form):
    """The person's own profile; the values go to accounts.actions.update_profile."""

    display_name = forms.CharField(
        label=_("Display name"),
        max_length=80,
        required=False,
        help_text=_("Shown beside your posts; your handle is used if empty."),
    )
    handle = forms.CharField(
        label=_("Handle"),
        max_length=30,
        validators=handle_validators,
        help_text=_("How others mention you, e.g. @maria. Letters, digits, dots, dashes and underscores."),
    )
    bio = forms.CharField(
        label=_("About you"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    locale = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    time_zone = forms.ChoiceField(label=_("Time zone"), choices=time_zone_choices)
    avatar = forms.ImageField(
        label=_("Avatar"),
        required=False,
        help_text=_("A PNG, JPEG, GIF or WebP picture of 1 MB or less."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg,image/gif,image/webp"}),
    )

    @staticmethod
    def initial_for(user: Any) -> dict[str, Any]:
        fields = ("display_name", "handle", "bio", "locale", "time_zone", "avatar")
        return {field: getattr(user, field) for field in fields}

    def clean_avatar(self) -> Any:
        avatar = self.cleaned_data.get("avatar")
        if not avatar or not hasattr(avatar, "image"):
            return avatar  # unchanged (the current file), cleared (False) or none
        if avatar.size > AVATAR_MAX_BYTES:
            raise forms.ValidationError(_("The picture must be 1 MB or smaller."), code="avatar_too_big")
        if getattr(avatar.image, "format", None) not in AVATAR_TYPES:
            raise forms.ValidationError(_("Use a PNG, JPEG, GIF or WebP picture."), code="avatar_type")
        return avatar

    def changes(self) -> dict[str, Any]:
        """The fields to hand to update_profile: the avatar only when a new one came or it was cleared."""
        data = dict(self.cleaned_data)
        avatar = data.pop("avatar", None)
        if avatar is False:
            data["avatar"] = ""
        elif avatar is not None and hasattr(avatar, "image"):
            data["avatar"] = avatar
        return data


class TokenForm(forms.Form):
    READ_ONLY = "read"
    READ_WRITE = "read_write"

    name = forms.CharField(label=_("Name"), max_length=100, help_text=_("What the token is for, e.g. “CRM sync”."))
    scopes = forms.ChoiceField(
        label=_("Access"),
        choices=[(READ_ONLY, _("Read")), (READ_WRITE, _("Read and write"))],
        initial=READ_ONLY,
        widget=forms.RadioSelect,
    )
    expires_at = forms.DateField(
        label=_("Expires on (optional)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The token stops working at the end of this day."),
    )

    def arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        scopes = [TokenScope.READ, TokenScope.WRITE] if data["scopes"] == self.READ_WRITE else [TokenScope.READ]
        expires = data.get("expires_at")
        expires_at = timezone.make_aware(datetime.combine(expires, time(23, 59, 59))) if expires else None
        return {"name": data["name"], "scopes": scopes, "expires_at": expires_at}


class DeleteAccountForm(forms.Form):
    """Confirm deleting the account: the password, or for an account without one the handle typed out."""

    remove_content = forms.BooleanField(
        label=_("Also remove everything I wrote"),
        required=False,
        help_text=_("Your posts are deleted and their text erased; threads you started lose their titles."),
    )
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    confirm = forms.CharField(label=_("Your handle"), max_length=31)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if user.has_usable_password():
            del self.fields["confirm"]
        else:
            del self.fields["password"]
            self.fields["confirm"].help_text = _("You sign in through another service: type %(handle)s to confirm.") % {
                "handle": user.handle
            }

    def arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "password": data.get("password"),
            "confirm": data.get("confirm"),
            "remove_content": bool(data.get("remove_content")),
        }
