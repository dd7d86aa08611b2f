"""Forms of the insights pages: dashboard filters, alert handling, theme tools and sentiment corrections."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from belong.communities.models import Community, Space
from belong.conversations.models import ThreadKind
from belong.ideas.models import Idea
from belong.insights.actions import MAX_NOTE, MAX_THEME_NAME
from belong.insights.engine.language import UNKNOWN
from belong.insights.models import AlertState, SentimentLabel, Theme
from belong.insights.queries import DEFAULT_DAYS, Filters

PERIODS = [(7, _("Last 7 days")), (30, _("Last 30 days")), (90, _("Last 90 days")), (365, _("Last 12 months"))]
# How many ideas the link form offers in its select; older ones are linked by number.
IDEA_CHOICES = 100


def language_label(code: str) -> str:
    """A language code as its name in the reader's language ("unknown" when the detector was unsure)."""
    if code == UNKNOWN or not code:
        return str(_("Unknown"))
    try:
        return str(get_language_info(code)["name_translated"])
    except KeyError:
        return code


def language_choices(community: Community) -> list[tuple[str, str]]:
    codes = [*(community.languages or []), UNKNOWN]
    return [(code, language_label(code)) for code in dict.fromkeys(codes)]


class FiltersForm(forms.Form):
    """What the overview looks at (a GET form; bad values fall back to the defaults)."""

    days = forms.TypedChoiceField(
        label=_("Period"), choices=PERIODS, coerce=int, initial=DEFAULT_DAYS, required=False, empty_value=None
    )
    space = forms.ModelChoiceField(
        label=_("Space"), queryset=Space.objects.none(), required=False, empty_label=_("All spaces")
    )
    language = forms.ChoiceField(label=_("Language"), required=False)
    kind = forms.ChoiceField(label=_("Kind of thread"), required=False)

    def __init__(self, data: Any, *, community: Community, spaces: list[Space]) -> None:
        super().__init__(data, auto_id="filter-%s")
        space_field = self.fields["space"]
        assert isinstance(space_field, forms.ModelChoiceField)
        space_field.queryset = Space.objects.filter(community=community)
        # The select is drawn from the spaces the view already read, so rendering costs no query.
        space_field.widget.choices = [("", _("All spaces")), *((space.pk, space.name) for space in spaces)]
        self.fields["language"].choices = [("", _("All languages")), *language_choices(community)]  # type: ignore[attr-defined]
        self.fields["kind"].choices = [("", _("All kinds")), *ThreadKind.choices]  # type: ignore[attr-defined]

    def filters(self) -> Filters:
        if not self.is_bound or not self.is_valid():
            return Filters()
        data = self.cleaned_data
        return Filters(
            days=data["days"] or DEFAULT_DAYS,
            space_id=data["space"].pk if data["space"] else None,
            language=data["language"],
            kind=data["kind"],
        )


class AlertStateForm(forms.Form):
    """Acknowledge, resolve or reopen (the button pressed), with an optional note."""

    state = forms.ChoiceField(choices=AlertState.choices, widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What you found or did; kept with the alert."),
    )

    def clean_note(self) -> str:
        # Checked here as well as in the action so the note's own field shows the error.
        note: str = self.cleaned_data["note"].strip()
        if len(note) > MAX_NOTE:
            raise forms.ValidationError(_("Keep the note under %(n)d characters.") % {"n": MAX_NOTE})
        return note


class AlertFilterForm(forms.Form):
    state = forms.ChoiceField(label=_("State"), choices=[("", _("Every state")), *AlertState.choices], required=False)


class RenameThemeForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        required=False,
        max_length=MAX_THEME_NAME,
        help_text=_("Leave empty to use the distinctive terms."),
    )


def _standing_choices(themes: list[Theme], blank: str) -> list[tuple[Any, str]]:
    return [("", blank), *((theme.pk, theme.title) for theme in themes)]


class ThemeChoiceField(forms.ModelChoiceField[Theme]):
    def label_from_instance(self, obj: Theme) -> str:
        return obj.title


class MergeThemeForm(forms.Form):
    into = ThemeChoiceField(label=_("Merge into"), queryset=Theme.objects.none())

    def __init__(self, data: Any = None, *, theme: Theme, others: list[Theme]) -> None:
        super().__init__(data, auto_id="merge-%s")
        field = self.fields["into"]
        assert isinstance(field, forms.ModelChoiceField)
        # Any standing theme of the community validates (so merging into itself reaches the action
        # and gets its explanation); the select offers only the others.
        field.queryset = Theme.objects.filter(community_id=theme.community_id, merged_into__isnull=True)
        field.widget.choices = _standing_choices(others, str(_("Choose a theme")))


class IdeaChoiceField(forms.ModelChoiceField[Idea]):
    def label_from_instance(self, obj: Idea) -> str:
        return f"#{obj.pk} {obj.thread.title}"


def standing_ideas(community: Community) -> QuerySet[Idea]:
    return Idea.objects.filter(community=community, merged_into__isnull=True).select_related("thread")


class LinkThemeForm(forms.Form):
    """The idea that answers the pain point: picked from the recent ideas, or given by its number."""

    idea = IdeaChoiceField(label=_("Idea"), queryset=Idea.objects.none(), required=False)
    number = forms.IntegerField(
        label=_("or the idea's number"), required=False, min_value=1, help_text=_("The number in the idea's address.")
    )

    def __init__(self, data: Any = None, *, community: Community) -> None:
        super().__init__(data, auto_id="link-%s")
        field = self.fields["idea"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = standing_ideas(community)
        recent = list(standing_ideas(community).order_by("-created_at", "-pk")[:IDEA_CHOICES])
        field.widget.choices = [
            ("", _("Choose an idea")),
            *((idea.pk, f"#{idea.pk} {idea.thread.title}") for idea in recent),
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        idea, number = data.get("idea"), data.get("number")
        if idea is None and number is None and not self.errors:
            raise forms.ValidationError(_("Choose an idea or give its number."))
        if idea is None and number is not None:
            # Any idea by number: one of another community reaches the action, which refuses it.
            data["idea"] = Idea.objects.select_related("thread").filter(pk=number).first()
            if data["idea"] is None:
                self.add_error("number", _("There is no idea with this number."))
        return data


class CorrectSentimentForm(forms.Form):
    label = forms.ChoiceField(label=_("Sentiment"), choices=SentimentLabel.choices)


class PostFilterForm(forms.Form):
    sentiment = forms.ChoiceField(
        label=_("Sentiment"), choices=[("", _("Any sentiment")), *SentimentLabel.choices], required=False
    )
    language = forms.ChoiceField(label=_("Language"), required=False)
    flagged = forms.ChoiceField(
        label=_("Flags"),
        choices=[("", _("Flagged or not")), ("yes", _("Flagged for moderators")), ("no", _("Not flagged"))],
        required=False,
    )

    def __init__(self, data: Any, *, community: Community) -> None:
        super().__init__(data, auto_id="posts-%s")
        self.fields["language"].choices = [("", _("All languages")), *language_choices(community)]  # type: ignore[attr-defined]

    def query(self) -> dict[str, Any]:
        """Keyword arguments of `queries.analysed_posts` (unknown values are ignored)."""
        if not self.is_valid():
            return {}
        flagged = {"yes": True, "no": False}.get(self.cleaned_data["flagged"])
        return {
            "sentiment": self.cleaned_data["sentiment"],
            "language": self.cleaned_data["language"],
            "flagged": flagged,
        }
