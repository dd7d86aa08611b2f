"""Forms of the moderation pages: queue filters, decisions, the log's filters, appeals, rules and settings."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from belong.moderation.labels import ACTION_LABELS
from belong.moderation.models import Decision, ModerationSettings, ReviewSource, Rule
from belong.moderation.queries import DECIDED

MAX_REASON = 2000

QUEUE_TABS = [
    ("pending", pgettext_lazy("review queue tab", "Waiting")),
    (DECIDED, pgettext_lazy("review queue tab", "Decided")),
]

# The log's action select: every group first as "all of them", then its actions one by one.
ACTION_GROUPS = {
    "post": (_("Posts"), _("Every post action")),
    "thread": (_("Threads"), _("Every thread action")),
    "member": (_("Members"), _("Every member action")),
    "review": (_("Review queue"), _("Every review decision")),
    "appeal": (_("Appeals"), _("Every appeal decision")),
    "rule": (_("Rules"), _("Every rule change")),
    "settings": (_("Settings"), _("Every settings change")),
}


def action_choices() -> list[tuple[Any, Any]]:
    """The log filter's choices, grouped by what the action concerns, built from labels.ACTION_LABELS."""
    groups: dict[str, list[tuple[str, Any]]] = {}
    for action, label in ACTION_LABELS.items():
        groups.setdefault(action.split(".", 1)[0], []).append((action, label))
    choices: list[tuple[Any, Any]] = [("", _("Every action"))]
    for prefix, actions in groups.items():
        title, every = ACTION_GROUPS.get(prefix, (prefix, prefix))
        choices.append((title, [(prefix, every), *actions]))
    return choices


def _reason_field(label: Any = None, *, required: bool = False, help_text: Any = "") -> forms.CharField:
    # Reasons are checked by the actions (required except for approvals); the form keeps their length.
    return forms.CharField(
        label=label or _("Reason"),
        required=required,
        max_length=MAX_REASON,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class QueueFilterForm(forms.Form):
    """Which part of the queue to show (a GET form; bad values fall back to the pending items)."""

    state = forms.ChoiceField(choices=QUEUE_TABS, required=False, widget=forms.HiddenInput)
    source = forms.ChoiceField(
        label=_("Source"), choices=[("", _("Every source")), *ReviewSource.choices], required=False
    )

    def values(self) -> dict[str, str]:
        if not self.is_valid():
            return {"state": "pending", "source": ""}
        return {"state": self.cleaned_data["state"] or "pending", "source": self.cleaned_data["source"]}


class DecisionForm(forms.Form):
    """Approve, reject, edit (with the corrected text) or hide an item, with a reason."""

    decision = forms.ChoiceField(label=_("Decision"), choices=Decision.choices, widget=forms.RadioSelect)
    reason = _reason_field(help_text=_("The member reads it. Needed for every decision but approving."))
    body = forms.CharField(
        label=_("Corrected text (for “Edit”)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Markdown, as the member wrote it; only used when you choose “Edit”."),
    )

    def arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        body = data["body"] if data["decision"] == Decision.EDIT else None
        return {"decision": data["decision"], "reason": data["reason"], "body": body}


class LogFilterForm(forms.Form):
    """The moderation log's filters (a GET form)."""

    action = forms.ChoiceField(label=_("Action"), required=False)
    moderator = forms.CharField(label=_("Moderator (handle)"), required=False, max_length=60)
    member = forms.CharField(label=_("Member (handle)"), required=False, max_length=60)
    since = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, data: Any = None) -> None:
        super().__init__(data, auto_id="log-%s")
        self.fields["action"].choices = action_choices()  # type: ignore[attr-defined]

    def query(self) -> dict[str, Any]:
        """Keyword arguments of `queries.moderation_log`; invalid values are left out."""
        if not self.is_bound:
            return {}
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        found: dict[str, Any] = {
            "action": data.get("action") or "",
            "actor": (data.get("moderator") or "").strip(),
            "subject": (data.get("member") or "").strip(),
        }
        since: date | None = data.get("since")
        until: date | None = data.get("until")
        return found | {"since": since, "until": until}


class AppealDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("grant", _("Grant: undo the action")), ("deny", _("Deny: the action stands"))],
        widget=forms.RadioSelect,
    )
    reason = _reason_field(_("Answer"), help_text=_("The member reads it."))

    @property
    def grant(self) -> bool:
        return bool(self.cleaned_data["decision"] == "grant")


class AppealForm(forms.Form):
    text = forms.CharField(
        label=_("Why should it be undone?"),
        max_length=MAX_REASON,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Each action can be appealed once; a moderator answers."),
    )


class RuleForm(forms.Form):
    title = forms.CharField(label=_("Rule"), max_length=200)
    description = forms.CharField(
        label=_("Explanation"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, data: Any = None, *, rule: Rule | None = None) -> None:
        prefix = f"rule-{rule.pk}" if rule is not None else "new-rule"
        initial = {"title": rule.title, "description": rule.description} if rule is not None else None
        super().__init__(data, initial=initial, auto_id=f"{prefix}-%s")


class MoveRuleForm(forms.Form):
    direction = forms.ChoiceField(choices=[("up", _("Up")), ("down", _("Down"))])


def _model_field(name: str) -> Any:
    return ModerationSettings._meta.get_field(name).formfield()  # type: ignore[union-attr]


class SettingsForm(forms.Form):
    """The community's moderation settings; blocked words one per line."""

    require_approval = _model_field("require_approval")
    approval_posts = _model_field("approval_posts")
    hide_weight = _model_field("hide_weight")
    blocked_words = forms.CharField(
        label=_("Blocked words"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("One word or phrase a line. Posts containing one are refused with an explanation."),
    )
    max_links = _model_field("max_links")

    def __init__(self, data: Any = None, *, current: ModerationSettings | None = None) -> None:
        initial = None
        if current is not None:
            initial = {
                "require_approval": current.require_approval,
                "approval_posts": current.approval_posts,
                "hide_weight": current.hide_weight,
                "blocked_words": "\n".join(current.blocked_words or []),
                "max_links": current.max_links,
            }
        super().__init__(data, initial=initial, auto_id="settings-%s")

    def changes(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["blocked_words"] = [line for line in data["blocked_words"].splitlines() if line.strip()]
        return data
