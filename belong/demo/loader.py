"""The demo loader: an ordered list of steps that fill an empty database with a living community.

Each step is a function taking the `DemoContext`. It must be idempotent: it finds what an
earlier run made (by slug, handle or e-mail) and only adds what is missing, so running the
loader twice adds nothing. Steps change state through the actions, like every other caller.

An app adds its own demo content without touching this package: it creates `demo.py` next
to its `models.py` and registers steps there, e.g.

    from belong.demo.loader import DemoContext, demo_step

    @demo_step("conversations: threads and replies", order=200)
    def threads(ctx: DemoContext) -> None:
        ...

Orders below 100 belong to the community itself (accounts, spaces, memberships,
invitations); apps use 100 and up, leaving gaps so others can slot in between.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import import_module

from django.apps import apps
from django.db import transaction
from django.utils.module_loading import module_has_submodule
from django.utils.translation import gettext as _

from belong.accounts.models import User
from belong.communities.models import Community, Membership
from belong.communities.permissions import forget_memberships
from belong.core.errors import Conflict, NotFound
from belong.demo import data

StepFunction = Callable[["DemoContext"], None]


@dataclass(frozen=True)
class Step:
    name: str
    order: int
    run: StepFunction


# Every registered step; `load_demo` runs them by `order`, then by name.
STEPS: list[Step] = []


def demo_step(name: str, *, order: int) -> Callable[[StepFunction], StepFunction]:
    """Register the decorated function as a demo step (once, however often its module is imported)."""

    def register(function: StepFunction) -> StepFunction:
        if not any(step.name == name for step in STEPS):
            STEPS.append(Step(name=name, order=order, run=function))
        return function

    return register


@dataclass
class DemoContext:
    """What steps share: the output, the demo community and a tally of what was created."""

    write: Callable[[str], None] = print
    password: str = data.DEMO_PASSWORD
    created: Counter[str] = field(default_factory=Counter)
    _community: Community | None = None
    _users: dict[str, User] = field(default_factory=dict)

    @property
    def community(self) -> Community:
        if self._community is None:
            self._community = Community.objects.filter(slug=data.COMMUNITY.slug).first()
        if self._community is None:
            raise NotFound(_("The demo community has not been created yet."))
        return self._community

    @community.setter
    def community(self, community: Community) -> None:
        self._community = community

    def user(self, handle: str) -> User:
        """Return the demo account with this handle, with no stale permission cache."""
        user = self._users.get(handle)
        if user is None:
            user = User.objects.get(handle__iexact=handle)
            self._users[handle] = user
        forget_memberships(user)
        return user

    def membership(self, handle: str) -> Membership:
        return Membership.objects.select_related("community", "user").get(
            community=self.community, user=self.user(handle)
        )

    def count(self, what: str, number: int = 1) -> None:
        self.created[what] += number


def discover_steps() -> list[Step]:
    """Import this package's own steps and every Belong app's `demo` module; return the steps in order."""
    import_module("belong.demo.steps")
    for app_config in apps.get_app_configs():
        if app_config.name.startswith("belong.") and module_has_submodule(app_config.module, "demo"):
            import_module(f"{app_config.name}.demo")
    return sorted(STEPS, key=lambda step: (step.order, step.name))


def is_foreign_database() -> bool:
    """Whether the database holds accounts but no demo community, i.e. someone uses it for real."""
    return User.objects.exists() and not Community.objects.filter(slug=data.COMMUNITY.slug).exists()


def load_demo(*, write: Callable[[str], None] = print, force: bool = False) -> DemoContext:
    """Run every step in one transaction, so a failure leaves the database as it was."""
    if not force and is_foreign_database():
        raise Conflict(
            _(
                "This database already has accounts but no demo community. The demo adds accounts with a "
                "known password, including an administrator; run it with --force if you really want that."
            )
        )
    ctx = DemoContext(write=write)
    with transaction.atomic():
        for step in discover_steps():
            step.run(ctx)
    return ctx


def sign_in_lines(ctx: DemoContext, *, base_url: str) -> list[str]:
    """The lines that tell a person how to try the demo."""
    manager = ctx.user(data.SHOWCASE_MANAGER)
    member = ctx.user(data.SHOWCASE_MEMBER)
    site = base_url.rstrip("/") + "/"
    return [
        _("Open %(url)s and sign in with one of these accounts (password: %(password)s):")
        % {"url": site, "password": ctx.password},
        "  " + _("Community manager: %(email)s (%(name)s)") % {"email": manager.email, "name": manager.name},
        "  " + _("Member: %(email)s (%(name)s)") % {"email": member.email, "name": member.name},
        "  "
        + _("Operator, for the admin at %(url)s: %(email)s") % {"url": site + "admin/", "email": data.OPERATOR_EMAIL},
    ]


def summary_line(ctx: DemoContext) -> str:
    if not ctx.created:
        return _("The demo community “%(name)s” is already loaded; nothing was added.") % {"name": ctx.community.name}
    parts = ", ".join(f"{what}: {number}" for what, number in sorted(ctx.created.items()))
    return _("Loaded the demo community “%(name)s” (created %(parts)s).") % {"name": ctx.community.name, "parts": parts}
