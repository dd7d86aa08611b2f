from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connections

from belong.accounts.models import User
from belong.cli import main
from belong.communities.models import Community, Invitation, Membership, MembershipState, Role, Space, SpaceVisibility
from belong.communities.permissions import Action, can
from belong.core.models import Activity
from belong.demo import data
from belong.demo.loader import STEPS, DemoContext, demo_step, discover_steps

pytestmark = pytest.mark.django_db

# Letters only these languages use, to tell that texts are really written in them.
CYRILLIC = set("абвгдежзийклмнопрстуфхцчшщъьюя")
PORTUGUESE_WORDS = {"café", "comunidade", "não", "chávena", "de", "fazendas", "é", "em", "um", "uma", "que"}
AFRIKAANS_WORDS = {"ek", "die", "en", "'n", "koffie", "vir", "is", "nie"}


def load(*args) -> str:
    out = StringIO()
    call_command("load_demo", *args, stdout=out, skip_checks=True)
    return out.getvalue()


def row_counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def _words(text: str) -> set[str]:
    return {word.strip(".,!?:;—()“”").lower() for word in text.split()}


def test_the_demo_loads_on_an_empty_database():
    output = load()

    community = Community.objects.get(slug=data.COMMUNITY.slug)
    assert community.name == "Ponte Coffee Roasters"
    assert community.languages == ["en", "pt", "bg", "af"]
    assert community.description and community.purpose and community.goals
    assert 6 <= community.spaces.filter(beta_group__isnull=True).count() <= 8
    assert not community.spaces.filter(description="").exists()
    assert 45 <= community.memberships.count() <= 55
    assert User.objects.filter(is_superuser=True, handle=data.OPERATOR_HANDLE).exists()
    assert "Loaded the demo community" in output


def test_a_second_run_adds_and_changes_nothing():
    load()
    before = row_counts()
    memberships_before = list(Membership.objects.order_by("pk").values())

    output = load()

    assert row_counts() == before
    assert list(Membership.objects.order_by("pk").values()) == memberships_before
    assert "nothing was added" in output


def test_every_role_and_state_is_there():
    load()
    community = Community.objects.get(slug=data.COMMUNITY.slug)
    active = community.memberships.filter(state=MembershipState.ACTIVE)
    roles = {role: active.filter(role=role).count() for role in Role.values}
    assert roles[Role.OWNER] == 1
    assert roles[Role.MANAGER] == 2
    assert 3 <= roles[Role.STAFF] <= 4
    assert roles[Role.MODERATOR] == 3
    assert roles[Role.AMBASSADOR] == 5  # one more from the programme (recognition demo)
    assert roles[Role.EXPERT] == 5
    assert roles[Role.MEMBER] >= 20
    states = community.memberships.exclude(state=MembershipState.ACTIVE)
    assert states.filter(state=MembershipState.PENDING).count() == 2
    assert states.filter(state=MembershipState.BANNED).count() == 1
    assert states.filter(state=MembershipState.LEFT).count() == 2
    suspended = states.get(state=MembershipState.SUSPENDED)
    assert suspended.state_reason and suspended.suspended_until is not None
    assert states.get(state=MembershipState.BANNED).state_reason


def test_the_story_is_told_through_the_actions():
    load()
    community = Community.objects.get(slug=data.COMMUNITY.slug)
    verbs = set(Activity.objects.filter(community=community).values_list("verb", flat=True))
    assert {
        "community.created",
        "space.created",
        "member.requested",
        "member.approved",
        "member.role_changed",
        "member.suspended",
        "member.banned",
        "member.left",
        "invitation.created",
        "invitation.accepted",
    } <= verbs


def test_invitations_bring_in_referred_members():
    load()
    community = Community.objects.get(slug=data.COMMUNITY.slug)
    link = Invitation.objects.get(community=community, email="")
    assert link.uses == 3
    assert set(community.memberships.filter(invitation=link).values_list("invited_by__handle", flat=True)) == {
        "annelie"
    }
    expert = community.memberships.get(user__handle="mariana.q")
    assert expert.role == Role.EXPERT
    assert expert.invited_by == User.objects.get(handle="hannah")
    waiting = Invitation.objects.get(community=community, email="hello@kloofstraat-cafe.example")
    assert waiting.uses == 0 and waiting.is_usable


def test_texts_exist_in_all_four_languages():
    load()
    locales = set(User.objects.exclude(handle=data.OPERATOR_HANDLE).values_list("locale", flat=True))
    assert locales == {"en", "pt", "bg", "af"}
    bios = dict(User.objects.exclude(bio="").values_list("handle", "bio"))
    by_locale = dict(User.objects.values_list("handle", "locale"))
    for handle, bio in bios.items():
        words = _words(bio)
        if by_locale[handle] == "bg":
            assert CYRILLIC & set(bio.lower()), handle
        elif by_locale[handle] == "pt":
            assert words & PORTUGUESE_WORDS, handle
        elif by_locale[handle] == "af":
            assert words & AFRIKAANS_WORDS, handle
    spaces = " ".join(Space.objects.values_list("description", flat=True))
    assert CYRILLIC & set(spaces.lower())
    assert _words(spaces) & PORTUGUESE_WORDS
    assert _words(spaces) & AFRIKAANS_WORDS


def test_everyone_can_sign_in_with_the_demo_password_and_a_verified_address():
    load()
    users = User.objects.all()
    assert users.count() == len(data.PEOPLE) + 1
    for user in users:
        assert user.check_password(data.DEMO_PASSWORD), user.handle
        assert EmailAddress.objects.filter(user=user, email=user.email, verified=True, primary=True).exists()


def test_the_restricted_space_admits_only_chosen_roles():
    load()
    space = Space.objects.get(community__slug=data.COMMUNITY.slug, slug="behind-the-scenes")
    assert space.visibility == SpaceVisibility.RESTRICTED
    assert can(User.objects.get(handle="annelie"), Action.VIEW_SPACE, space)
    assert can(User.objects.get(handle="joao.torra"), Action.VIEW_SPACE, space)
    assert not can(User.objects.get(handle=data.SHOWCASE_MEMBER), Action.VIEW_SPACE, space)


def test_the_output_names_the_manager_the_member_and_the_operator():
    output = load()

    manager = User.objects.get(handle=data.SHOWCASE_MANAGER)
    member = User.objects.get(handle=data.SHOWCASE_MEMBER)
    assert Membership.objects.get(user=manager).role == Role.MANAGER
    assert Membership.objects.get(user=member).role == Role.MEMBER
    for expected in (manager.email, member.email, data.OPERATOR_EMAIL, data.DEMO_PASSWORD, "http://127.0.0.1:8000/"):
        assert expected in output
    assert output.count(data.DEMO_PASSWORD) == 1


def test_the_demo_refuses_a_database_someone_already_uses():
    User.objects.create_user("somebody", "somebody@example.com", "x")
    with pytest.raises(CommandError, match="--force"):
        load()
    assert not Community.objects.exists()
    load("--force")
    assert Community.objects.filter(slug=data.COMMUNITY.slug).exists()


def test_a_failing_step_leaves_the_database_as_it_was():
    @demo_step("test: a step that breaks", order=99)
    def breaks(ctx: DemoContext) -> None:
        raise RuntimeError("boom")

    try:
        with pytest.raises(RuntimeError):
            load()
        assert not User.objects.exists()
    finally:
        STEPS[:] = [step for step in STEPS if step.name != "test: a step that breaks"]


def test_apps_extend_the_demo_with_ordered_steps():
    steps = discover_steps()
    assert [step.order for step in steps] == sorted(step.order for step in steps)
    assert steps[0].name == "accounts: the operator"
    seen: list[int] = []

    @demo_step("test: a later app's content", order=500)
    def later(ctx: DemoContext) -> None:
        seen.append(ctx.community.memberships.count())

    try:
        load()
        assert seen == [len(data.PEOPLE)]
    finally:
        STEPS[:] = [step for step in STEPS if step.name != "test: a later app's content"]


def test_belong_demo_no_serve_migrates_and_loads(capsys, monkeypatch):
    # Management commands run from the command line close every connection when they finish,
    # which would end the test's transaction; the database is the test's own, so keep it open.
    monkeypatch.setattr(connections, "close_all", lambda: None)

    main(["demo", "--no-serve"])

    output = capsys.readouterr().out
    assert Community.objects.filter(slug=data.COMMUNITY.slug).exists()
    assert data.OPERATOR_EMAIL in output
