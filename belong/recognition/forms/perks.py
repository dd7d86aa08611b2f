"""Forms for ranks and perks: what managers type, parsed into the arguments of the rank and perk actions."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from belong.communities.models import Role, Space, SpaceVisibility
from belong.recognition.models import Perk, PerkKind, Rank
from belong.recognition.perks import MAX_CODE_CHARS, MAX_CODES_AT_ONCE, MAX_DESCRIPTION_CHARS
from belong.recognition.ranks import MAX_THRESHOLD

# A textarea of codes: one a line, at most MAX_CODES_AT_ONCE of MAX_CODE_CHARS (plus line breaks).
MAX_CODES_TEXT = MAX_CODES_AT_ONCE * (MAX_CODE_CHARS + 2)


class RankForm(forms.Form):
    """A rank of the ladder: a new one, or the changes to one (`rank`)."""

    name = forms.CharField(label=_("Name"), max_length=60)
    min_points = forms.IntegerField(
        label=_("From points"),
        min_value=0,
        max_value=MAX_THRESHOLD,
        help_text=_("Members hold the highest rank their points reach; no two ranks start at the same number."),
    )
    description = forms.CharField(label=_("Description"), max_length=300, required=False)

    def __init__(self, *args: Any, rank: Rank | None = None, **kwargs: Any) -> None:
        if rank is not None:
            kwargs.setdefault("auto_id", f"rank-{rank.pk}-%s")
            kwargs.setdefault(
                "initial", {"name": rank.name, "min_points": rank.min_points, "description": rank.description}
            )
        else:
            kwargs.setdefault("auto_id", "new-rank-%s")
        super().__init__(*args, **kwargs)
        self.rank = rank

    def changes(self) -> dict[str, Any]:
        """Every field for a new rank; only those that differ for an existing one."""
        if self.rank is None:
            return dict(self.cleaned_data)
        return {name: self.cleaned_data[name] for name in self.changed_data}


def split_codes(text: str) -> list[str]:
    """The codes of a textarea, one a line (the action strips and dedupes them)."""
    return [line for line in text.splitlines() if line.strip()]


class CodesField(forms.CharField):
    """A textarea of codes, one a line, cleaned into a list."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 6, "spellcheck": "false", "autocomplete": "off"}))
        kwargs.setdefault("max_length", MAX_CODES_TEXT)
        super().__init__(**kwargs)

    def clean(self, value: Any) -> list[str]:
        return split_codes(str(super().clean(value) or ""))


def rank_choice(rank: Rank) -> str:
    return str(_("%(rank)s (from %(points)s points)") % {"rank": rank.name, "points": rank.min_points})


class PerkForm(forms.Form):
    """A new perk (with its kind and first codes) or the changes to one (`perk`)."""

    name = forms.CharField(label=_("Name"), max_length=100)
    description = forms.CharField(
        label=_("Description"),
        max_length=MAX_DESCRIPTION_CHARS,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What members get, and how to use it."),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=PerkKind.choices, widget=forms.RadioSelect)
    min_rank = forms.ModelChoiceField(
        label=_("From rank"),
        queryset=Rank.objects.none(),
        required=False,
        empty_label=_("No rank: only the roles below"),
        help_text=_("Members of this rank and higher have the perk."),
    )
    roles = forms.MultipleChoiceField(
        label=_("For roles"),
        choices=Role.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Members with these roles have it whatever their rank."),
    )
    space = forms.ModelChoiceField(
        label=_("Space it opens"),
        queryset=Space.objects.none(),
        required=False,
        empty_label=_("None (a code perk)"),
        help_text=_("For a space perk: a restricted space, opened to everyone who has the perk."),
    )
    codes = CodesField(
        label=_("Codes"),
        required=False,
        help_text=_(
            "For a code perk: one code a line, each given to one member. Leave empty to make a code for each member who claims it."
        ),
    )
    is_active = forms.BooleanField(label=_("Offered"), required=False, help_text=_("Untick to switch the perk off."))

    def __init__(self, *args: Any, community: Any, perk: Perk | None = None, **kwargs: Any) -> None:
        if perk is not None:
            kwargs.setdefault("auto_id", f"perk-{perk.pk}-%s")
            kwargs.setdefault(
                "initial",
                {
                    "name": perk.name,
                    "description": perk.description,
                    "min_rank": perk.min_rank_id,
                    "roles": perk.roles,
                    "space": perk.space_id,
                    "is_active": perk.is_active,
                },
            )
        else:
            kwargs.setdefault("auto_id", "new-perk-%s")
        super().__init__(*args, **kwargs)
        self.perk = perk
        self.fields["min_rank"].queryset = Rank.objects.filter(community=community).order_by("min_points", "id")  # type: ignore[attr-defined]
        self.fields["min_rank"].label_from_instance = rank_choice  # type: ignore[attr-defined]
        self.fields["space"].queryset = Space.objects.filter(  # type: ignore[attr-defined]
            community=community, visibility=SpaceVisibility.RESTRICTED
        ).order_by("position", "name", "id")
        if perk is None:
            del self.fields["is_active"]
        else:
            del self.fields["kind"], self.fields["codes"]
            if perk.kind == PerkKind.CODE:
                del self.fields["space"]

    def changes(self) -> dict[str, Any]:
        """Everything for a new perk; only the fields that differ for an existing one."""
        if self.perk is None:
            return dict(self.cleaned_data)
        return {name: self.cleaned_data[name] for name in self.changed_data}


class CodesForm(forms.Form):
    codes = CodesField(label=_("More codes"), help_text=_("One code a line; codes already in the pool are skipped."))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "codes-%s")
        super().__init__(*args, **kwargs)
