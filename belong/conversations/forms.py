"""Forms that parse what people type into the arguments of conversation actions."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from belong.conversations.models import MAX_TITLE_CHARS, Collection, Draft, Product, ThreadKind
from belong.conversations.queries import PERIODS
from belong.core.richtext import MAX_BODY_CHARS


def _body_help() -> str:
    limit = gettext("Up to %(limit)s characters.") % {"limit": f"{MAX_BODY_CHARS:,}"}
    hint = gettext("Markdown works: **bold**, *italic*, [a link](https://example.com), > a quote, - a list, `code`.")
    return f"{limit} {hint}"


# Evaluated when rendered, so the member's language applies.
body_help = lazy(_body_help, str)()


def body_field(label: Any = None, *, rows: int = 8) -> forms.CharField:
    """A Markdown text box; the action normalises and checks the length again."""
    return forms.CharField(
        label=label or _("Text"),
        max_length=MAX_BODY_CHARS,
        help_text=body_help,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


def split_tags(raw: str) -> list[str]:
    return [name.strip() for name in raw.replace(";", ",").split(",") if name.strip()]


class ThreadForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=ThreadKind.choices, initial=ThreadKind.DISCUSSION)
    title = forms.CharField(label=_("Title"), max_length=MAX_TITLE_CHARS)
    body = body_field()
    product = forms.ModelChoiceField(
        label=_("Product"),
        queryset=Product.objects.none(),
        required=False,
        empty_label=_("No particular product"),
        help_text=_("For reviews: what the review is about."),
    )
    rating = forms.TypedChoiceField(
        label=_("Rating"),
        choices=[("", _("No rating")), *((str(n), "★" * n) for n in range(1, 6))],
        coerce=int,
        empty_value=None,
        required=False,
        help_text=_("Reviews need a rating from 1 to 5 stars."),
    )
    tags = forms.CharField(
        label=_("Tags"),
        max_length=300,
        required=False,
        help_text=_(
            "Separate tags with commas. Use the community’s tags; new tags can be added by members who have earned the trust to do so."
        ),
    )

    def __init__(self, *args: Any, kinds: Iterable[str] | None = None, products: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if kinds is not None:
            allowed = set(kinds)
            self.fields["kind"].choices = [(v, label) for v, label in ThreadKind.choices if v in allowed]  # type: ignore[attr-defined]
        if products is not None:
            self.fields["product"].queryset = products  # type: ignore[attr-defined]

    def arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        review = data["kind"] == ThreadKind.REVIEW
        return {
            "kind": data["kind"],
            "title": data["title"],
            "body": data["body"],
            "product": data["product"] if review else None,
            "rating": data["rating"],
            "tags": split_tags(data["tags"]),
        }


class ReplyForm(forms.Form):
    body = body_field(_("Your reply"), rows=6)
    reply_to = forms.IntegerField(widget=forms.HiddenInput, required=False)

    # The member's saved draft the form was filled from, so the page can say so.
    draft: Draft | None = None


class EditPostForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=MAX_TITLE_CHARS)
    body = body_field()

    def __init__(self, *args: Any, opening: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not opening:
            del self.fields["title"]


PERIOD_LABELS = {"day": _("Today"), "week": _("This week"), "month": _("This month"), "year": _("This year")}
PERIOD_CHOICES = [(key, PERIOD_LABELS[key]) for key in PERIODS]


class ThreadFilterForm(forms.Form):
    """Tabs and filters of a thread list; unknown values fall back to no filter."""

    TABS = (("latest", _("Latest")), ("top", _("Top")), ("unanswered", _("Unanswered")))

    tab = forms.ChoiceField(choices=TABS, required=False)
    period = forms.ChoiceField(label=_("Period"), choices=PERIOD_CHOICES, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", _("Any kind")), *ThreadKind.choices], required=False)
    tag = forms.CharField(label=_("Tag"), max_length=50, required=False)
    space = forms.ChoiceField(label=_("Space"), choices=[], required=False)

    def __init__(self, *args: Any, spaces: Iterable[Any] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.spaces = {space.slug: space for space in spaces}
        self.fields["space"].choices = [("", _("Every space")), *((s.slug, s.name) for s in self.spaces.values())]  # type: ignore[attr-defined]

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data if self.is_valid() else {}
        return {
            "tab": data.get("tab") or "latest",
            "period": data.get("period") or "week",
            "kind": data.get("kind") or "",
            "tag": (data.get("tag") or "").strip(),
            "space": self.spaces.get(data.get("space") or ""),
        }


class TagForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=40)


class ProductForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    slug = forms.SlugField(label=_("Address"), max_length=60, help_text=_("Lowercase letters, digits and dashes."))
    description = forms.CharField(
        label=_("Description"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class CollectionForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=120)
    description = forms.CharField(
        label=_("Description"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    is_public = forms.BooleanField(
        label=_("Public"), required=False, initial=True, help_text=_("Everyone who can see the threads sees the list.")
    )


class CollectForm(forms.Form):
    collection: forms.ModelChoiceField[Collection] = forms.ModelChoiceField(
        label=_("Collection"), queryset=Collection.objects.none(), empty_label=None
    )
    note = forms.CharField(label=_("Note (optional)"), max_length=300, required=False)

    def __init__(self, *args: Any, collections: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["collection"].queryset = collections  # type: ignore[attr-defined]


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search for"), max_length=200, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", _("Any kind")), *ThreadKind.choices], required=False)
    space = forms.ChoiceField(label=_("Space"), choices=[], required=False)
    tag = forms.CharField(label=_("Tag"), max_length=50, required=False)
    author = forms.CharField(label=_("Author’s handle"), max_length=40, required=False)
    since = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, spaces: Iterable[Any] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.spaces = {space.slug: space for space in spaces}
        self.fields["space"].choices = [("", _("Every space")), *((s.slug, s.name) for s in self.spaces.values())]  # type: ignore[attr-defined]
