"""Moderation pages: the review queue, the log, appeals, rules and settings, and each member's own record.

Views parse, fetch through `queries` (which checks access), call one action and render. Conflicts with
the current state (an item decided by someone else, a claim taken, an appeal answered) come back as a
message on the page the moderator is looking at, since nothing they typed was wrong.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django import forms
from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from belong.communities import queries as community_queries
from belong.communities.models import Community
from belong.communities.permissions import check
from belong.core.errors import Conflict, NotFound
from belong.core.models import ModerationEntry
from belong.moderation import actions, queries
from belong.moderation.forms import (
    QUEUE_TABS,
    AppealDecisionForm,
    AppealForm,
    DecisionForm,
    LogFilterForm,
    MoveRuleForm,
    QueueFilterForm,
    RuleForm,
    SettingsForm,
)
from belong.moderation.labels import action_label, signal_label
from belong.moderation.models import Appeal, AppealState, ReviewItem, ReviewSource, Rule
from belong.moderation.permissions import ModerationAction as Can
from belong.web.errors import attempt, form_status, web_view
from belong.web.shortcuts import is_htmx, page_of, render_partial, safe_next, signed_in

PAGE_SIZE = 25


def _source_label(code: str) -> str:
    return str(ReviewSource(code).label) if code in ReviewSource.values else code


@dataclass
class ItemRow:
    """A queue item with its sources and signals in words."""

    item: ReviewItem
    sources: list[str] = field(default_factory=list)
    signals: list[str] = field(default_factory=list)
    claim_active: bool = False


def _item_row(item: ReviewItem) -> ItemRow:
    since = timezone.now() - timedelta(minutes=actions.CLAIM_MINUTES)
    return ItemRow(
        item,
        sources=[_source_label(code) for code in item.sources],
        signals=[signal_label(code) for code in item.signals],
        claim_active=item.claimed_by_id is not None and item.claimed_at is not None and item.claimed_at > since,
    )


def _thread_url(community: Community, thread_id: Any) -> str:
    return reverse("conversations:thread", args=[community.slug, thread_id]) if thread_id else ""


# The review queue


@require_safe
@web_view
def queue(request: HttpRequest, slug: str) -> HttpResponse:
    """Items waiting for a moderator (or decided), by source; htmx gets the list only."""
    community = community_queries.get_community(slug)
    filters = QueueFilterForm(request.GET, auto_id="queue-%s")
    chosen = filters.values()
    page = page_of(request, queries.queue(request.user, community, **chosen), PAGE_SIZE)
    context = {
        "community": community,
        "filters": filters,
        "chosen": chosen,
        "tabs": QUEUE_TABS,
        "page": page,
        "rows": [_item_row(item) for item in page],
    }
    if is_htmx(request):
        return render_partial(request, "moderation/queue.html", "queue-list", context)
    return TemplateResponse(request, "moderation/queue.html", context)


def _item_page(
    request: HttpRequest, community: Community, item: ReviewItem, form: DecisionForm | None = None
) -> HttpResponse:
    context = {
        "community": community,
        "row": _item_row(item),
        "form": form or DecisionForm(initial={"body": item.post.body}, auto_id="decision-%s"),
        "mine": item.claimed_by_id == request.user.pk,
    }
    return TemplateResponse(request, "moderation/item.html", context, status=form_status(form))


@require_safe
@web_view
def item(request: HttpRequest, slug: str, item_id: int) -> HttpResponse:
    community = community_queries.get_community(slug)
    return _item_page(request, community, queries.review_item(request.user, community, item_id))


def _to_item(community: Community, item: ReviewItem) -> HttpResponse:
    return redirect("moderation:item", community.slug, item.pk)


@require_POST
@web_view
def claim(request: HttpRequest, slug: str, item_id: int) -> HttpResponse:
    user = signed_in(request)
    community = community_queries.get_community(slug)
    found = queries.review_item(user, community, item_id)
    try:
        actions.claim_item(moderator=user, item=found)
    except Conflict as error:
        messages.error(request, error.detail)
    else:
        messages.success(request, _("You are reviewing this item; other moderators see that it is taken."))
    return _to_item(community, found)


@require_POST
@web_view
def release(request: HttpRequest, slug: str, item_id: int) -> HttpResponse:
    user = signed_in(request)
    community = community_queries.get_community(slug)
    found = queries.review_item(user, community, item_id)
    try:
        actions.release_item(moderator=user, item=found)
    except Conflict as error:
        messages.error(request, error.detail)
    else:
        messages.success(request, _("The item is back in the queue for any moderator."))
    return _to_item(community, found)


DECIDED_MESSAGES = {
    "approve": _("The post is approved and shown."),
    "reject": _("The post is rejected and removed."),
    "edit": _("The post is corrected and shown."),
    "hide": _("The post is hidden."),
}


@require_POST
@web_view
def decide(request: HttpRequest, slug: str, item_id: int) -> HttpResponse:
    """Decide an item; a refused reason or text comes back on the form, a conflict as a message."""
    user = signed_in(request)
    community = community_queries.get_community(slug)
    found = queries.review_item(user, community, item_id)
    form = DecisionForm(request.POST, auto_id="decision-%s")
    try:
        decided = (
            attempt(form, actions.decide_item, moderator=user, item=found, **form.arguments())
            if form.is_valid()
            else None
        )
    except Conflict as error:
        messages.error(request, error.detail)
        return _to_item(community, found)
    if decided is None:
        return _item_page(request, community, found, form)
    messages.success(request, DECIDED_MESSAGES[form.cleaned_data["decision"]])
    return redirect("moderation:queue", community.slug)


# The moderation log


@dataclass
class LogRow:
    entry: ModerationEntry
    label: str
    target_url: str = ""
    appeal: Appeal | None = None


def _log_rows(community: Community, entries: Iterable[ModerationEntry]) -> list[LogRow]:
    return [
        LogRow(
            entry,
            label=action_label(entry.action),
            target_url=_thread_url(community, (entry.data or {}).get("thread")),
            # A reverse one-to-one read through select_related: None when there is no appeal, no query.
            appeal=getattr(entry, "appeal", None),
        )
        for entry in entries
    ]


class _Echo:
    """A file-like object whose write returns the line, so csv.writer yields lines one by one."""

    def write(self, value: str) -> str:
        return value


def _cell(value: Any) -> str:
    # Spreadsheets run cells starting with these as formulas; a leading apostrophe keeps them text.
    text = "" if value is None else str(value)
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _csv_lines(entries: QuerySet[ModerationEntry]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield writer.writerow(
        [
            _("When"),
            _("Moderator"),
            _("Action code"),
            _("Action"),
            _("Member"),
            _("Thread"),
            _("Reason"),
            _("Appeal"),
        ]
    )
    for entry in entries.iterator(chunk_size=500):
        appeal = getattr(entry, "appeal", None)
        yield writer.writerow(
            [
                _cell(entry.created_at.isoformat()),
                _cell(entry.actor.handle if entry.actor else _("Automatic")),
                _cell(entry.action),
                _cell(action_label(entry.action)),
                _cell(entry.subject.handle if entry.subject else ""),
                _cell((entry.data or {}).get("thread", "")),
                _cell(entry.reason),
                _cell(appeal.get_state_display() if appeal is not None else ""),
            ]
        )


@require_safe
@web_view
def log(request: HttpRequest, slug: str) -> HttpResponse:
    """The moderation log, filtered; `?format=csv` downloads the filtered log."""
    community = community_queries.get_community(slug)
    filters = LogFilterForm(request.GET or None)
    entries = queries.moderation_log(request.user, community, **filters.query())
    if request.GET.get("format") == "csv":
        # Built whole rather than streamed: a log is modest, and errors then still become pages.
        response = HttpResponse(_csv_lines(entries), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="moderation-log-{community.slug}.csv"'
        return response
    page = page_of(request, entries, PAGE_SIZE)
    query = request.GET.copy()
    query.pop("page", None)
    query["format"] = "csv"
    context = {
        "community": community,
        "filters": filters,
        "page": page,
        "rows": _log_rows(community, page),
        "csv_query": query.urlencode(),
    }
    if is_htmx(request):
        return render_partial(request, "moderation/log.html", "log-list", context)
    return TemplateResponse(request, "moderation/log.html", context)


# Appeals

APPEAL_TABS = [("open", AppealState.OPEN.label), ("decided", _("Decided"))]


@dataclass
class AppealRow:
    appeal: Appeal
    label: str
    target_url: str
    form: AppealDecisionForm | None


def _appeals_page(
    request: HttpRequest, community: Community, tab: str, failed: tuple[int, AppealDecisionForm] | None = None
) -> HttpResponse:
    found = queries.appeals(request.user, community, state=AppealState.OPEN if tab == "open" else "")
    if tab != "open":
        found = found.exclude(state=AppealState.OPEN)
    page = page_of(request, found, PAGE_SIZE)

    def form_for(each: Appeal) -> AppealDecisionForm | None:
        if each.state != AppealState.OPEN:
            return None
        if failed is not None and failed[0] == each.pk:
            return failed[1]
        return AppealDecisionForm(auto_id=f"appeal-{each.pk}-%s")

    rows = [
        AppealRow(
            each,
            label=action_label(each.entry.action),
            target_url=_thread_url(community, (each.entry.data or {}).get("thread")),
            form=form_for(each),
        )
        for each in page
    ]
    context = {"community": community, "tab": tab, "tabs": APPEAL_TABS, "page": page, "rows": rows}
    status = form_status(failed[1]) if failed is not None else 200
    return TemplateResponse(request, "moderation/appeals.html", context, status=status)


@require_safe
@web_view
def appeals(request: HttpRequest, slug: str) -> HttpResponse:
    community = community_queries.get_community(slug)
    return _appeals_page(request, community, "decided" if request.GET.get("state") == "decided" else "open")


@require_POST
@web_view
def decide_appeal(request: HttpRequest, slug: str, appeal_id: int) -> HttpResponse:
    user = signed_in(request)
    community = community_queries.get_community(slug)
    found = queries.appeal_for(user, community, appeal_id)
    form = AppealDecisionForm(request.POST, auto_id=f"appeal-{found.pk}-%s")
    try:
        decided = (
            attempt(
                form,
                actions.decide_appeal,
                moderator=user,
                appeal=found,
                grant=form.grant,
                reason=form.cleaned_data["reason"],
            )
            if form.is_valid()
            else None
        )
    except Conflict as error:
        messages.error(request, error.detail)
        return redirect("moderation:appeals", community.slug)
    if decided is None:
        return _appeals_page(request, community, "open", (found.pk, form))
    if decided.state == AppealState.GRANTED:
        messages.success(request, _("The appeal is granted and the action undone where it could be."))
    else:
        messages.success(request, _("The appeal is denied; the member is told why."))
    return redirect("moderation:appeals", community.slug)


# Rules and settings (managers); the rules as members read them


@dataclass
class Failed:
    """A form of the rules page that was refused, shown again with its errors in its place."""

    what: str
    key: Any
    form: forms.Form


def _managing(request: HttpRequest, slug: str) -> tuple[Any, Community]:
    user = signed_in(request)
    community = community_queries.get_community(slug)
    check(user, Can.MANAGE_RULES, community)
    return user, community


def _rule(community: Community, rule_id: int) -> Rule:
    # A community has at most MAX_RULES rules: reading them all is as cheap as reading one.
    found = next((each for each in queries.rules_of(community) if each.pk == rule_id), None)
    if found is None:
        raise NotFound(_("No such rule."))
    return found


def _rules_page(request: HttpRequest, community: Community, failed: Failed | None = None) -> HttpResponse:
    def shown(what: str, key: Any, blank: forms.Form) -> forms.Form:
        return failed.form if failed is not None and (failed.what, failed.key) == (what, key) else blank

    rules = queries.rules_of(community)
    context = {
        "community": community,
        "rules": [(rule, shown("rule", rule.pk, RuleForm(rule=rule))) for rule in rules],
        "new_rule_form": shown("rule", None, RuleForm()),
        "settings_form": shown("settings", None, SettingsForm(current=actions.settings_for(community))),
        "max_rules": actions.MAX_RULES,
    }
    status = form_status(failed.form) if failed is not None else 200
    return TemplateResponse(request, "moderation/rules_editor.html", context, status=status)


def _to_rules(community: Community, anchor: str = "") -> HttpResponse:
    return redirect(reverse("moderation:manage_rules", args=[community.slug]) + (f"#{anchor}" if anchor else ""))


@require_safe
@web_view
def manage_rules(request: HttpRequest, slug: str) -> HttpResponse:
    _user, community = _managing(request, slug)
    return _rules_page(request, community)


@require_POST
@web_view
def add_rule(request: HttpRequest, slug: str) -> HttpResponse:
    user, community = _managing(request, slug)
    form = RuleForm(request.POST)
    try:
        rule = (
            attempt(form, actions.add_rule, actor=user, community=community, **form.cleaned_data)
            if form.is_valid()
            else None
        )
    except Conflict as error:
        form.add_error(None, error.detail)
        rule = None
    if rule is None:
        return _rules_page(request, community, Failed("rule", None, form))
    messages.success(request, _("The rule is added; members are asked to accept the rules again."))
    return _to_rules(community, f"rule-{rule.pk}")


@require_POST
@web_view
def update_rule(request: HttpRequest, slug: str, rule_id: int) -> HttpResponse:
    user, community = _managing(request, slug)
    rule = _rule(community, rule_id)
    form = RuleForm(request.POST, rule=rule)
    saved = attempt(form, actions.update_rule, actor=user, rule=rule, **form.cleaned_data) if form.is_valid() else None
    if saved is None:
        return _rules_page(request, community, Failed("rule", rule.pk, form))
    messages.success(request, _("The rule is saved."))
    return _to_rules(community, f"rule-{rule.pk}")


@require_POST
@web_view
def remove_rule(request: HttpRequest, slug: str, rule_id: int) -> HttpResponse:
    user, community = _managing(request, slug)
    actions.remove_rule(actor=user, rule=_rule(community, rule_id))
    messages.success(request, _("The rule is removed."))
    return _to_rules(community, "rules")


@require_POST
@web_view
def move_rule(request: HttpRequest, slug: str, rule_id: int) -> HttpResponse:
    user, community = _managing(request, slug)
    rule = _rule(community, rule_id)
    form = MoveRuleForm(request.POST)
    if form.is_valid():
        actions.move_rule(actor=user, rule=rule, up=form.cleaned_data["direction"] == "up")
    return _to_rules(community, f"rule-{rule.pk}")


@require_POST
@web_view
def update_settings(request: HttpRequest, slug: str) -> HttpResponse:
    user, community = _managing(request, slug)
    form = SettingsForm(request.POST)
    saved = (
        attempt(form, actions.update_settings, actor=user, community=community, **form.changes())
        if form.is_valid()
        else None
    )
    if saved is None:
        return _rules_page(request, community, Failed("settings", None, form))
    messages.success(request, _("The moderation settings are saved."))
    return _to_rules(community, "settings")


@require_safe
@web_view
def rules(request: HttpRequest, slug: str) -> HttpResponse:
    """The community's rules as members and visitors read them."""
    community = community_queries.get_community(slug)
    context = {
        "community": community,
        "rules": queries.rules_of(community),
        "needs_to_accept": queries.needs_to_accept_rules(request.user, community),
    }
    return TemplateResponse(request, "moderation/rules.html", context)


@require_POST
@web_view
def accept_rules(request: HttpRequest, slug: str) -> HttpResponse:
    """Accept the rules as they stand now (from the rules page or the posting forms' rules box)."""
    user = signed_in(request)
    community = community_queries.get_community(slug)
    actions.accept_rules(user=user, community=community)
    messages.success(request, _("Thank you for accepting the rules."))
    return redirect(safe_next(request, reverse("moderation:rules", args=[community.slug])))


# The member's own record


@dataclass
class RecordRow:
    entry: ModerationEntry
    label: str
    appeal: Appeal | None
    form: AppealForm | None


def _record_page(
    request: HttpRequest, community: Community, failed: tuple[int, AppealForm] | None = None
) -> HttpResponse:
    user = signed_in(request)
    page = page_of(request, queries.record_of(user, community), PAGE_SIZE)
    rows = []
    for entry in page:
        appeal = getattr(entry, "appeal", None)
        form = None
        if appeal is None and entry.action in actions.APPEALABLE and entry.actor_id != user.pk:
            form = (
                failed[1]
                if failed is not None and failed[0] == entry.pk
                else AppealForm(auto_id=f"appeal-{entry.pk}-%s")
            )
        rows.append(RecordRow(entry, label=action_label(entry.action), appeal=appeal, form=form))
    context = {"community": community, "page": page, "rows": rows}
    status = form_status(failed[1]) if failed is not None else 200
    return TemplateResponse(request, "moderation/record.html", context, status=status)


@require_safe
@web_view
def record(request: HttpRequest, slug: str) -> HttpResponse:
    """What moderators did concerning the signed-in person here, with appeals (banned members too)."""
    community = community_queries.get_community(slug)
    return _record_page(request, community)


@require_POST
@web_view
def appeal(request: HttpRequest, slug: str, entry_id: int) -> HttpResponse:
    user = signed_in(request)
    community = community_queries.get_community(slug)
    entry = queries.own_entry(user, community, entry_id)
    form = AppealForm(request.POST, auto_id=f"appeal-{entry.pk}-%s")
    try:
        made = attempt(form, actions.appeal, user=user, entry=entry, **form.cleaned_data) if form.is_valid() else None
    except Conflict as error:
        messages.error(request, error.detail)
        return redirect("moderation:record", community.slug)
    if made is None:
        return _record_page(request, community, (entry.pk, form))
    messages.success(request, _("Your appeal is sent; a moderator will answer it."))
    return redirect(reverse("moderation:record", args=[community.slug]) + f"#entry-{entry.pk}")
