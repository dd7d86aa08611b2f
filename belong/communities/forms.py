"""Forms that parse what people type into the arguments of community actions."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, time, timedelta
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from belong.communities.models import JoinPolicy, MembershipState, Role, SpaceVisibility


def end_of_day(day: Any) -> datetime:
    """The last moment of a date in the viewer's time zone: "until 3 May" includes 3 May."""
    return timezone.make_aware(datetime.combine(day, time(23, 59, 59)))


class DateInput(forms.DateInput):
    input_type = "date"


class CommunityForm(forms.Form):
    name = forms.CharField(label=_("Brand name"), max_length=120)
    slug = forms.SlugField(
        label=_("Address"),
        max_length=60,
        help_text=_("Used in links: /c/your-address/. Lowercase letters, digits and dashes."),
    )
    description = forms.CharField(
        label=_("Description"), max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    purpose = forms.CharField(
        label=_("Purpose"),
        max_length=4000,
        required=False,
        help_text=_("Why the community exists."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    goals = forms.CharField(
        label=_("Goals"),
        max_length=4000,
        required=False,
        help_text=_("What the brand and members want from it."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    languages = forms.CharField(
        label=_("Languages"),
        max_length=200,
        required=False,
        help_text=_("Codes of the languages members write in, separated by commas, e.g. en, pt, bg, af."),
    )
    join_policy = forms.ChoiceField(
        label=_("Joining"), choices=JoinPolicy.choices, initial=JoinPolicy.OPEN, widget=forms.RadioSelect
    )

    def clean_languages(self) -> list[str]:
        raw: str = self.cleaned_data.get("languages") or ""
        return [code.strip() for code in raw.replace(";", ",").split(",") if code.strip()]

    @staticmethod
    def initial_for(community: Any) -> dict[str, Any]:
        initial = {field: getattr(community, field) for field in ("name", "slug", "description", "purpose", "goals")}
        initial["languages"] = ", ".join(community.languages)
        initial["join_policy"] = community.join_policy
        return initial


class SpaceForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    slug = forms.SlugField(label=_("Address"), max_length=60, help_text=_("Used in links inside the community."))
    description = forms.CharField(
        label=_("Description"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    visibility = forms.ChoiceField(
        label=_("Who can see it"),
        choices=SpaceVisibility.choices,
        initial=SpaceVisibility.PUBLIC,
        widget=forms.RadioSelect,
    )
    allowed_roles = forms.MultipleChoiceField(
        label=_("Roles allowed in a restricted space"),
        choices=Role.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Brand staff, managers and moderators always see every space."),
    )
    position = forms.IntegerField(
        label=_("Position"), min_value=0, initial=0, help_text=_("Spaces are listed from the lowest number.")
    )
    is_archived = forms.BooleanField(
        label=_("Archived"), required=False, help_text=_("Archived spaces stay readable but take no new posts.")
    )

    @staticmethod
    def initial_for(space: Any) -> dict[str, Any]:
        fields = ("name", "slug", "description", "visibility", "allowed_roles", "position", "is_archived")
        return {field: getattr(space, field) for field in fields}


class MemberFilterForm(forms.Form):
    """The tabs, role filter and search box of the member list; bad values fall back to defaults."""

    state = forms.ChoiceField(
        label=_("State"), choices=MembershipState.choices, required=False, initial=MembershipState.ACTIVE
    )
    role = forms.ChoiceField(label=_("Role"), choices=[("", _("Any role")), *Role.choices], required=False)
    q = forms.CharField(label=_("Search by name or handle"), max_length=100, required=False)

    def values(self, *, may_see_all_states: bool) -> tuple[str, str, str]:
        data = self.cleaned_data if self.is_valid() else {}
        state = data.get("state") or MembershipState.ACTIVE
        if not may_see_all_states:
            state = MembershipState.ACTIVE
        return state, data.get("role") or "", (data.get("q") or "").strip()


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)

    def __init__(self, *args: Any, roles: Iterable[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if roles is not None:
            allowed = set(roles)
            self.fields["role"].choices = [(v, label) for v, label in Role.choices if v in allowed]  # type: ignore[attr-defined]


class SuspendForm(forms.Form):
    until = forms.DateField(label=_("Suspended until"), widget=DateInput)
    reason = forms.CharField(label=_("Reason (the member sees it)"), max_length=500)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["until"].initial = (timezone.localdate() + timedelta(days=7)).isoformat()

    def arguments(self) -> dict[str, Any]:
        return {"until": end_of_day(self.cleaned_data["until"]), "reason": self.cleaned_data["reason"]}


class BanForm(forms.Form):
    reason = forms.CharField(label=_("Reason (the member sees it)"), max_length=500)


class OptionalReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason (optional)"), max_length=500, required=False)


class InvitationForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"),
        required=False,
        help_text=_("Leave empty for a link anyone can use; fill in to invite one person by e-mail."),
    )
    role = forms.ChoiceField(label=_("Role on joining"), choices=Role.choices, initial=Role.MEMBER)
    max_uses = forms.IntegerField(
        label=_("Uses allowed"),
        min_value=1,
        max_value=10000,
        required=False,
        help_text=_("One for an e-mail invitation; 100 for a link if left empty."),
    )
    expires_in_days = forms.IntegerField(label=_("Days valid"), min_value=1, max_value=365, initial=14)

    def __init__(self, *args: Any, roles: Iterable[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if roles is not None:
            allowed = set(roles)
            self.fields["role"].choices = [(v, label) for v, label in Role.choices if v in allowed]  # type: ignore[attr-defined]

    def arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "email": data["email"] or "",
            "role": data["role"],
            "max_uses": data["max_uses"],
            "expires_in": timedelta(days=data["expires_in_days"]),
        }
