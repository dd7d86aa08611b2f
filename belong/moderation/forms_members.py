"""Forms of the thread page's moderation tools (flag, hide, move, merge, split) and of the member moderation page."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from belong.communities.models import Community, Space
from belong.conversations import queries as conversation_queries
from belong.conversations.models import Post, Thread
from belong.conversations.moderation import MAX_REASON_CHARS
from belong.core.errors import NotFound
from belong.moderation.models import FlagReason, Rule

REASON_WIDGET = forms.Textarea(attrs={"rows": 2})
# The member is told the reason; the actions check it is there and say so in their own words.
REASON_LABEL = gettext_lazy("Reason (the member is told)")


def reason_field(*, required: bool = True) -> forms.CharField:
    label = REASON_LABEL if required else gettext_lazy("Reason (optional)")
    return forms.CharField(label=label, max_length=MAX_REASON_CHARS, required=False, widget=REASON_WIDGET)


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


def until_field(label: Any) -> forms.DateTimeField:
    return forms.DateTimeField(label=label, widget=DateTimeLocalInput(), input_formats=["%Y-%m-%dT%H:%M"])


class FlagForm(forms.Form):
    reason = forms.ChoiceField(
        label=gettext_lazy("What is wrong?"), choices=FlagReason.choices, widget=forms.RadioSelect
    )
    rule = forms.ModelChoiceField(
        label=gettext_lazy("The rule it breaks"), queryset=Rule.objects.none(), required=False
    )
    text = forms.CharField(
        label=gettext_lazy("Details"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("Needed when you pick “Something else”."),
    )

    def __init__(self, *args: Any, rules: list[Rule], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if rules:
            self.fields["rule"].queryset = Rule.objects.filter(pk__in=[rule.pk for rule in rules])  # type: ignore[attr-defined]
            self.fields["rule"].choices = [("", "—"), *((rule.pk, rule.title) for rule in rules)]  # type: ignore[attr-defined]
        else:  # no rules to break: the choice and the select would only confuse
            del self.fields["rule"]
            self.fields["reason"].choices = [c for c in FlagReason.choices if c[0] != FlagReason.RULE]  # type: ignore[attr-defined]

    def arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {"reason": data["reason"], "rule": data.get("rule"), "text": data.get("text") or ""}


class ReasonForm(forms.Form):
    reason = reason_field()

    def __init__(self, *args: Any, required: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not required:
            self.fields["reason"] = reason_field(required=False)


class MoveForm(forms.Form):
    space = forms.ModelChoiceField(label=gettext_lazy("Move to the space"), queryset=Space.objects.none())
    reason = reason_field()

    def __init__(self, *args: Any, spaces: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["space"].queryset = spaces  # type: ignore[attr-defined]


THREAD_ADDRESS = re.compile(r"/t/(\d+)(?:/|$|#|\?)")


class MergeForm(forms.Form):
    target = forms.CharField(
        label=gettext_lazy("Merge into the thread"),
        max_length=500,
        help_text=gettext_lazy("The thread’s number or its address."),
    )
    reason = reason_field()

    def __init__(self, *args: Any, user: Any, community: Community, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user, self.community = user, community

    def clean_target(self) -> Thread:
        text = self.cleaned_data["target"].strip().lstrip("#")
        found = THREAD_ADDRESS.search(text)
        number = found.group(1) if found else text
        if not number.isdigit():
            raise forms.ValidationError(_("Give the thread’s number or paste its address."))
        try:
            return conversation_queries.get_thread(self.user, self.community, int(number))
        except NotFound:
            raise forms.ValidationError(_("There is no such thread in this community.")) from None


class SplitForm(forms.Form):
    posts = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Replies to move"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    title = forms.CharField(label=gettext_lazy("Title of the new thread"), max_length=200, required=False)
    space = forms.ModelChoiceField(
        label=gettext_lazy("Space of the new thread"),
        queryset=Space.objects.none(),
        required=False,
        help_text=gettext_lazy("Leave empty to keep it in this thread’s space."),
    )
    reason = reason_field()

    def __init__(self, *args: Any, replies: Iterable[Post], spaces: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["posts"].choices = [(post.pk, str(post.pk)) for post in replies]  # type: ignore[attr-defined]
        self.fields["space"].queryset = spaces  # type: ignore[attr-defined]


# The member moderation page


class WarnForm(forms.Form):
    reason = reason_field()


class UntilForm(forms.Form):
    """A sanction that ends at a date and time (silence, suspension)."""

    until = until_field(gettext_lazy("Until"))
    reason = reason_field()


class BanForm(forms.Form):
    reason = reason_field()


class OptionalReasonForm(forms.Form):
    reason = reason_field(required=False)


class NoteForm(forms.Form):
    body = forms.CharField(
        label=gettext_lazy("Private note"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Only the community’s moderators and managers read these notes."),
    )
