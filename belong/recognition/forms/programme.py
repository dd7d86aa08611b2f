"""Forms of the ambassador and expert programme: nominating, experts' areas, and the candidates' tag filter."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from belong.conversations.models import Tag
from belong.recognition.models import Programme
from belong.recognition.programme import MAX_MESSAGE_CHARS


def _areas_field(required: bool) -> forms.ModelMultipleChoiceField[Tag]:
    return forms.ModelMultipleChoiceField(
        label=_("Areas"),
        queryset=Tag.objects.none(),
        to_field_name="slug",
        required=required,
        help_text=_("Experts only: the tags they are known for, shown beside their posts."),
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )


class _WithTags(forms.Form):
    def __init__(self, *args: Any, tags: QuerySet[Tag] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["areas"].queryset = tags if tags is not None else Tag.objects.none()  # type: ignore[attr-defined]


class NominationForm(_WithTags):
    member = forms.CharField(label=_("Member’s handle"), max_length=31, help_text=_("For example @maria."))
    programme = forms.ChoiceField(label=_("Programme"), choices=Programme.choices)
    areas = _areas_field(required=False)
    message = forms.CharField(
        label=_("Message (optional)"),
        max_length=MAX_MESSAGE_CHARS,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Sent with the invitation."),
    )

    def clean_member(self) -> str:
        handle: str = self.cleaned_data["member"].strip().lstrip("@")
        if not handle:
            raise forms.ValidationError(_("Name a member."))
        return handle


class AreasForm(_WithTags):
    areas = _areas_field(required=True)


class CandidateFilterForm(forms.Form):
    tag = forms.ModelChoiceField(
        label=_("Tag"), queryset=Tag.objects.none(), to_field_name="slug", required=False, empty_label=_("Every tag")
    )

    def __init__(self, *args: Any, tags: QuerySet[Tag] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["tag"].queryset = tags if tags is not None else Tag.objects.none()  # type: ignore[attr-defined]
