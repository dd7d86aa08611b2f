"""Forms of points and leaderboards: the managers' rules and caps, points given or cancelled by hand, the board's filters."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from belong.core.errors import BelongError
from belong.recognition.leaderboards import PERIODS
from belong.recognition.models import MAX_RULE_POINTS, PointsRule, RecognitionSettings, RuleKey
from belong.recognition.points import MAX_MANUAL_POINTS, MAX_REASON_CHARS
from belong.web.errors import add_form_errors

PERIOD_LABELS = {"week": _("This week"), "month": _("This month"), "all": _("All time")}


class LeaderboardFilterForm(forms.Form):
    """The board's period and space; an unknown value (an old link) falls back to the default."""

    period = forms.ChoiceField(label=_("Period"), choices=[(p, PERIOD_LABELS[p]) for p in PERIODS], required=False)
    space = forms.ChoiceField(label=_("Space"), choices=[], required=False)

    def __init__(self, *args: Any, spaces: Iterable[Any] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.spaces = {space.slug: space for space in spaces}
        self.fields["space"].choices = [("", _("Every space")), *((s.slug, s.name) for s in self.spaces.values())]  # type: ignore[attr-defined]

    def values(self) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for name, field in self.fields.items():
            try:
                values[name] = field.clean(field.widget.value_from_datadict(self.data, self.files, name))
            except forms.ValidationError:
                values[name] = ""
        values["period"] = values["period"] or PERIODS[0]
        values["space"] = self.spaces.get(values["space"] or "")
        return values


def points_field_name(key: str) -> str:
    return f"{key}_points"


def cap_field_name(key: str) -> str:
    return f"{key}_daily_cap"


class PointsSettingsForm(forms.Form):
    """Every rule's points and daily cap, the cap between two members, and staff on leaderboards: one form."""

    pair_daily_cap = forms.IntegerField(
        label=_("Most points between two members a day"),
        min_value=0,
        help_text=_("What one member's reactions, votes and accepted answers can give another in a day."),
    )
    leaderboard_includes_staff = forms.BooleanField(
        label=_("Show staff on leaderboards"),
        required=False,
        help_text=_("The brand's people and moderators are left out unless this is ticked."),
    )

    def __init__(self, *args: Any, rules: dict[str, PointsRule], settings: RecognitionSettings, **kwargs: Any) -> None:
        initial: dict[str, Any] = {
            "pair_daily_cap": settings.pair_daily_cap,
            "leaderboard_includes_staff": settings.leaderboard_includes_staff,
        }
        for key, rule in rules.items():
            initial[points_field_name(key)] = rule.points
            initial[cap_field_name(key)] = rule.daily_cap
        kwargs["initial"] = {**initial, **kwargs.get("initial", {})}
        super().__init__(*args, **kwargs)
        self.rule_keys = [key for key in RuleKey.values if key in rules]
        for key in self.rule_keys:
            label = RuleKey(key).label
            # The table's header and note explain the columns, so the fields carry no help text of their own.
            self.fields[points_field_name(key)] = forms.IntegerField(
                label=_("Points for: %(rule)s") % {"rule": label}, min_value=0, max_value=MAX_RULE_POINTS
            )
            self.fields[cap_field_name(key)] = forms.IntegerField(
                label=_("Daily cap for: %(rule)s") % {"rule": label}, min_value=0, required=False
            )

    def rows(self) -> list[tuple[str, forms.BoundField, forms.BoundField]]:
        """(rule label, points field, cap field) per rule, for a table."""
        return [
            (str(RuleKey(key).label), self[points_field_name(key)], self[cap_field_name(key)]) for key in self.rule_keys
        ]

    def rule_changes(self) -> dict[str, dict[str, Any]]:
        data = self.cleaned_data
        return {
            key: {"points": data[points_field_name(key)], "daily_cap": data[cap_field_name(key)]}
            for key in self.rule_keys
        }

    def settings_changes(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in ("pair_daily_cap", "leaderboard_includes_staff")}

    def add_action_errors(self, error: BelongError) -> None:
        """Put an action's errors (`reply.points`) on this form's fields (`reply_points`)."""
        renamed = {name.replace(".", "_"): messages for name, messages in error.errors.items()}
        if renamed:
            error.errors = renamed
        add_form_errors(self, error)


class GivePointsForm(forms.Form):
    points = forms.IntegerField(
        label=_("Points"),
        min_value=-MAX_MANUAL_POINTS,
        max_value=MAX_MANUAL_POINTS,
        help_text=_("A negative number takes points away."),
    )
    reason = forms.CharField(
        label=_("Reason"), max_length=MAX_REASON_CHARS, help_text=_("The member sees it in their points history.")
    )

    def clean_points(self) -> int:
        points: int = self.cleaned_data["points"]
        if points == 0:
            raise forms.ValidationError(_("Give or take at least one point."))
        return points


class CancelEntryForm(forms.Form):
    reason = forms.CharField(label=_("Why cancel these points?"), max_length=MAX_REASON_CHARS)
