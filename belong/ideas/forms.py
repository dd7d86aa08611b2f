"""Forms that parse what people type on the idea board into the arguments of idea actions."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from belong.conversations.forms import body_field
from belong.conversations.models import MAX_TITLE_CHARS, Product
from belong.ideas.models import IdeaCategory, IdeaStatus, Importance
from belong.ideas.queries import SORTS

SORT_LABELS = {
    "trending": _("Trending"),
    "top": _("Top"),
    "new": pgettext_lazy("sort order", "New"),
    "active": _("Recently active"),
}
IMPORTANCE_CHOICES = [("", _("Not saying")), *Importance.choices]


def _category_field() -> forms.ModelChoiceField[IdeaCategory]:
    return forms.ModelChoiceField(
        label=_("Category"), queryset=IdeaCategory.objects.none(), required=False, empty_label=_("No category")
    )


def _product_field() -> forms.ModelChoiceField[Product]:
    return forms.ModelChoiceField(
        label=_("Product"), queryset=Product.objects.none(), required=False, empty_label=_("No particular product")
    )


class IdeaForm(forms.Form):
    """A new idea (with `spaces`) or the changes to one (without)."""

    title = forms.CharField(
        label=_("Title"),
        max_length=MAX_TITLE_CHARS,
        help_text=_("Say what you would like in a few words, e.g. “Dark mode for the app”."),
    )
    description = body_field(_("Description"))
    space = forms.ChoiceField(label=_("Space"), choices=[])
    category = _category_field()
    product = _product_field()

    def __init__(
        self,
        *args: Any,
        spaces: Iterable[Any] | None = None,
        categories: Any = None,
        products: Any = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.spaces = {space.slug: space for space in spaces or ()}
        if spaces is None:
            del self.fields["space"]
        else:
            self.fields["space"].choices = [(s.slug, s.name) for s in self.spaces.values()]  # type: ignore[attr-defined]
        self.fields["category"].queryset = categories if categories is not None else IdeaCategory.objects.none()  # type: ignore[attr-defined]
        self.fields["product"].queryset = products if products is not None else Product.objects.none()  # type: ignore[attr-defined]

    def arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        arguments = {name: data[name] for name in ("title", "description", "category", "product")}
        if "space" in self.fields:
            arguments["space"] = self.spaces[data["space"]]
        return arguments


class IdeaFilterForm(forms.Form):
    """Order and filters of the board; unknown values fall back to no filter."""

    sort = forms.ChoiceField(label=_("Order"), choices=[(key, SORT_LABELS[key]) for key in SORTS], required=False)
    status = forms.ChoiceField(label=_("Status"), choices=[], required=False)
    category = forms.ChoiceField(label=_("Category"), choices=[], required=False)
    product = forms.ChoiceField(label=_("Product"), choices=[], required=False)
    space = forms.ChoiceField(label=_("Space"), choices=[], required=False)
    q = forms.CharField(label=_("Words in the title"), max_length=200, required=False)
    mine = forms.BooleanField(label=_("Only ideas I voted for"), required=False)

    def __init__(
        self,
        *args: Any,
        statuses: Iterable[IdeaStatus] = (),
        categories: Iterable[IdeaCategory] = (),
        products: Iterable[Product] = (),
        spaces: Iterable[Any] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.spaces = {space.slug: space for space in spaces}
        choices = {
            "status": [("", _("Any status")), *((s.key, s.label) for s in statuses)],
            "category": [("", _("Any category")), *((c.slug, c.name) for c in categories)],
            "product": [("", _("Any product")), *((p.slug, p.name) for p in products)],
            "space": [("", _("Every space")), *((s.slug, s.name) for s in self.spaces.values())],
        }
        for name, options in choices.items():
            self.fields[name].choices = options  # type: ignore[attr-defined]

    def values(self) -> dict[str, Any]:
        # Each field on its own, so one unknown value (an old link) does not drop the others.
        values: dict[str, Any] = {}
        for name, field in self.fields.items():
            try:
                values[name] = field.clean(field.widget.value_from_datadict(self.data, self.files, name))
            except forms.ValidationError:
                values[name] = field.clean(None) if not field.required else ""
        values["sort"] = values["sort"] or SORTS[0]
        values["q"] = (values["q"] or "").strip()
        values["space"] = self.spaces.get(values["space"] or "")
        return values


class ImportanceForm(forms.Form):
    importance = forms.ChoiceField(label=_("How important is it to you?"), choices=IMPORTANCE_CHOICES, required=False)


class StatusChangeForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=[])
    note = forms.CharField(
        label=_("Public note"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Voters and followers get it by e-mail; Markdown works."),
    )

    def __init__(self, *args: Any, statuses: Iterable[IdeaStatus] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [(s.key, s.label) for s in statuses]  # type: ignore[attr-defined]


class MergeForm(forms.Form):
    target = forms.IntegerField(
        label=_("Number of the idea to merge into"),
        min_value=1,
        help_text=_("The number at the end of the idea’s address."),
    )


class StatusForm(forms.Form):
    """A status of the board's workflow (`key` only when adding one)."""

    key = forms.CharField(
        label=_("Key"),
        max_length=40,
        help_text=_("Letters, digits and underscores; fixed once added."),
    )
    name = forms.CharField(
        label=_("Name"), max_length=60, required=False, help_text=_("Blank keeps the built-in name.")
    )
    description = forms.CharField(label=_("Description"), max_length=300, required=False)
    position = forms.IntegerField(label=_("Position"), min_value=0, required=False)
    is_open = forms.BooleanField(label=_("Open for votes"), required=False)
    on_roadmap = forms.BooleanField(label=_("On the roadmap"), required=False)
    is_shipped = forms.BooleanField(label=_("Shipped (in the changelog)"), required=False)
    is_initial = forms.BooleanField(label=_("For new ideas"), required=False)

    def __init__(self, *args: Any, status: IdeaStatus | None = None, **kwargs: Any) -> None:
        if status is not None:
            kwargs.setdefault("auto_id", f"status-{status.key}-%s")
            kwargs.setdefault("initial", {name: getattr(status, name) for name in self.base_fields if name != "key"})
        else:
            kwargs.setdefault("auto_id", "new-status-%s")
            kwargs.setdefault("initial", {"is_open": True})
        super().__init__(*args, **kwargs)
        if status is not None:
            del self.fields["key"]
            self.fields["position"].required = True
        else:
            self.fields["name"].help_text = ""

    def changes(self) -> dict[str, Any]:
        """The fields that differ from the status (all of them for a new one, but a blank position)."""
        data = self.cleaned_data
        if "key" in self.fields:
            return {name: value for name, value in data.items() if name != "key" and value is not None}
        return {name: data[name] for name in self.changed_data}


class CategoryForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=60)
    position = forms.IntegerField(label=_("Position"), min_value=0, required=False)

    def __init__(self, *args: Any, category: IdeaCategory | None = None, **kwargs: Any) -> None:
        if category is not None:
            kwargs.setdefault("auto_id", f"category-{category.pk}-%s")
            kwargs.setdefault("initial", {"name": category.name, "position": category.position})
        else:
            kwargs.setdefault("auto_id", "new-category-%s")
        super().__init__(*args, **kwargs)
        if category is None:
            del self.fields["position"]


HANDLE_SPLIT = re.compile(r"[\s,;]+")


def split_handles(raw: str) -> list[str]:
    """Handles typed with or without @, separated by commas or spaces, once each in order."""
    handles = [part.lstrip("@") for part in HANDLE_SPLIT.split(raw) if part.strip("@ ")]
    return list(dict.fromkeys(handles))


class BetaGroupForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    description = forms.CharField(
        label=_("Description"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What the group will try and discuss; invitees read it first."),
    )
    idea = forms.IntegerField(
        label=_("Idea number"),
        min_value=1,
        required=False,
        help_text=_("Optional: the idea the group refines (the number at the end of its address)."),
    )
    product = _product_field()

    def __init__(self, *args: Any, products: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = products if products is not None else Product.objects.none()  # type: ignore[attr-defined]


class BetaInviteForm(forms.Form):
    members = forms.CharField(
        label=_("Members’ handles"),
        max_length=2000,
        help_text=_("Separate handles with commas or spaces, e.g. @maria, @ivan."),
    )
    message = forms.CharField(
        label=_("Message (optional)"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean_members(self) -> list[str]:
        handles = split_handles(self.cleaned_data["members"])
        if not handles:
            raise forms.ValidationError(_("Name at least one member."))
        return handles
