"""The access-control matrix: who may not read or change what, through the web and the API.

Every row is tried by four people, each in a fresh database:

- a visitor (not signed in),
- a member of community A who is not let into its restricted space ("member"),
- a member of another community, B ("outsider"),
- the row's insider, who may do it (the space's ambassador, a manager, the draft's or token's
  author, an operator): the positive control, showing the refusals are refusals and not a broken URL.

A row names the method, an address built from the world, the status each person gets, and
optionally text that a refused person must not see in a 200 answer (and the insider must), and a
snapshot of state that a refused request must leave as it was. To cover something new, add a row.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from belong.accounts import actions as account_actions
from belong.accounts.models import ApiToken, DataExport, User
from belong.accounts.tests.factories import UserFactory
from belong.communities.models import Community, Membership, Role, Space, SpaceVisibility
from belong.communities.tests.factories import CommunityFactory, MembershipFactory, SpaceFactory
from belong.conversations import actions as conversation_actions
from belong.conversations import drafts, search
from belong.conversations.models import Draft, Thread, ThreadKind
from belong.core.models import ModerationEntry
from belong.moderation import actions as moderation_actions
from belong.moderation.models import MemberNote

pytestmark = pytest.mark.django_db

API = "/api/v1"
SECRET_TITLE = "Geheime padkaart"  # Afrikaans: "secret roadmap"
SECRET_WORD = "zanzibarquux"
DRAFT_TEXT = "Чернова: още не е изпратена"  # Bulgarian: "a draft, not sent yet"
NOTE = "Nota privada: cliente antigo, normalmente prestável"  # Portuguese: a manager's private note
ACTORS = ("visitor", "member", "outsider", "insider")


@dataclass
class World:
    """Community A with a restricted space and its thread, community B, and the people around them."""

    community: Community
    public: Space
    restricted: Space
    secret: Thread
    people: dict[str, User]
    memberships: dict[str, Membership]
    draft: Draft
    token: ApiToken
    export: DataExport

    def url(self, name: str, *args: Any) -> str:
        return reverse(name, args=[self.community.slug, *args])

    def api(self, suffix: str) -> str:
        return f"{API}/communities/{self.community.slug}{suffix}"


@pytest.fixture
def world(django_capture_on_commit_callbacks) -> World:
    community = CommunityFactory()
    public = SpaceFactory(community=community)
    restricted = SpaceFactory(
        community=community, visibility=SpaceVisibility.RESTRICTED, allowed_roles=[Role.AMBASSADOR]
    )
    roles = {
        "member": Role.MEMBER,
        "author": Role.MEMBER,
        "ambassador": Role.AMBASSADOR,
        "moderator": Role.MODERATOR,
        "manager": Role.MANAGER,
    }
    memberships = {name: MembershipFactory(community=community, role=role) for name, role in roles.items()}
    people = {name: membership.user for name, membership in memberships.items()}
    people["outsider"] = MembershipFactory(community=CommunityFactory()).user
    people["operator"] = UserFactory(is_staff=True, is_superuser=True)
    with django_capture_on_commit_callbacks(execute=True):  # the search index is written after commit
        secret = conversation_actions.create_thread(
            author=people["ambassador"],
            space=restricted,
            kind=ThreadKind.DISCUSSION,
            title=SECRET_TITLE,
            body=f"The beta ships in May: {SECRET_WORD}.",
        )
    for post in secret.posts.all():
        search.index_post(post.pk)
    draft = drafts.save_draft(user=people["author"], space=public, title="Rascunho", body=DRAFT_TEXT)
    assert draft is not None
    token, _raw = account_actions.create_api_token(user=people["author"], name="laptop", scopes=["read", "write"])
    moderation_actions.add_note(author=people["moderator"], community=community, subject=people["author"], body=NOTE)
    export = account_actions.request_export(user=people["author"])
    account_actions.build_export(export.pk)
    return World(community, public, restricted, secret, people, memberships, draft, token, export)


@dataclass(frozen=True)
class Row:
    description: str
    method: str  # get, post, put, patch or delete
    url: Callable[[World], str]
    expected: Mapping[str, int]  # status for each of ACTORS
    insider: str  # who, of world.people, may do it
    api: bool = False  # JSON through /api/v1 with a Bearer token, else a web page with the session
    data: Callable[[World], dict[str, Any]] = field(default=lambda world: {})
    hidden: Callable[[World], str] | None = None  # absent from refused 200 answers, present for the insider
    unchanged: Callable[[World], Any] | None = None  # the same before and after a refused request


def web(visitor: int, refused: int, insider: int) -> dict[str, int]:
    return {"visitor": visitor, "member": refused, "outsider": refused, "insider": insider}


api = web  # the same shape; API visitors get 401 problems where pages send them to sign in


def state_of(name: str) -> Callable[[World], Any]:
    return lambda world: Membership.objects.get(pk=world.memberships[name].pk).state


def thread_count(world: World) -> int:
    return Thread.objects.filter(space=world.restricted).count() + world.secret.posts.count()


def draft_rows(world: World) -> list[tuple[int, str]]:
    return list(Draft.objects.values_list("pk", "body"))


def token_state(world: World) -> Any:
    return ApiToken.objects.get(pk=world.token.pk).revoked_at


SUSPEND_UNTIL = (timezone.now() + timedelta(days=7)).date().isoformat()

ROWS: list[Row] = [
    # Restricted spaces, through the web
    Row("the restricted space's page", "get", lambda w: reverse("communities:space", args=[w.community.slug, w.restricted.slug]),
        web(302, 403, 200), "ambassador"),
    Row("the thread list narrowed to the restricted space", "get",
        lambda w: w.url("conversations:threads") + f"?space={w.restricted.slug}",
        web(200, 200, 200), "ambassador", hidden=lambda w: SECRET_TITLE),
    Row("the restricted thread's page", "get", lambda w: w.url("conversations:thread", w.secret.pk),
        web(404, 404, 200), "ambassador"),
    Row("replying in the restricted thread", "post", lambda w: w.url("conversations:reply", w.secret.pk),
        web(302, 404, 302), "ambassador", data=lambda w: {"body": "Ek wil ook weet."}, unchanged=thread_count),
    Row("the new-thread form of the restricted space", "get",
        lambda w: w.url("conversations:new_thread", w.restricted.slug), web(302, 403, 200), "ambassador"),
    Row("starting a thread in the restricted space", "post",
        lambda w: w.url("conversations:new_thread", w.restricted.slug), web(302, 403, 302), "ambassador",
        data=lambda w: {"kind": "discussion", "title": "Olá", "body": "Posso entrar?"}, unchanged=thread_count),
    Row("search results", "get", lambda w: w.url("conversations:search") + f"?q={SECRET_WORD}",
        web(200, 200, 200), "ambassador", hidden=lambda w: SECRET_TITLE),
    # Restricted spaces, through the API
    Row("API: the thread list narrowed to the restricted space", "get",
        lambda w: w.api(f"/threads?space={w.restricted.slug}"), api(200, 200, 200), "ambassador", api=True,
        hidden=lambda w: SECRET_TITLE),
    Row("API: the restricted thread", "get", lambda w: w.api(f"/threads/{w.secret.pk}"),
        api(404, 404, 200), "ambassador", api=True),
    Row("API: the restricted thread's posts", "get", lambda w: w.api(f"/threads/{w.secret.pk}/posts"),
        api(404, 404, 200), "ambassador", api=True),
    Row("API: replying in the restricted thread", "post", lambda w: w.api(f"/threads/{w.secret.pk}/posts"),
        api(401, 404, 201), "ambassador", api=True, data=lambda w: {"body": "Me too"}, unchanged=thread_count),
    Row("API: starting a thread in the restricted space", "post", lambda w: w.api("/threads"),
        api(401, 403, 201), "ambassador", api=True, unchanged=thread_count,
        data=lambda w: {"space": w.restricted.slug, "title": "Здравей", "body": "Може ли?"}),
    Row("API: search results", "get", lambda w: w.api(f"/search?q={SECRET_WORD}"),
        api(200, 200, 200), "ambassador", api=True, hidden=lambda w: SECRET_TITLE),
    # Another member's drafts
    Row("the drafts page", "get", lambda w: w.url("conversations:drafts"),
        web(302, 200, 200), "author", hidden=lambda w: DRAFT_TEXT),
    Row("discarding another member's draft", "post", lambda w: w.url("conversations:discard_draft", w.draft.pk),
        web(302, 404, 302), "author", unchanged=draft_rows),
    Row("API: the drafts list", "get", lambda w: w.api("/drafts"),
        api(401, 200, 200), "author", api=True, hidden=lambda w: DRAFT_TEXT),
    Row("API: discarding another member's draft", "delete", lambda w: w.api(f"/drafts/{w.draft.pk}"),
        api(401, 404, 204), "author", api=True, unchanged=draft_rows),
    Row("API: overwriting a draft of the same space", "put", lambda w: w.api(f"/spaces/{w.public.slug}/draft"),
        {"visitor": 401, "member": 200, "outsider": 403, "insider": 200}, "author", api=True,
        data=lambda w: {"body": "mine now"},
        # The member saves their own draft of the space; the author's stays as it was.
        unchanged=lambda w: Draft.objects.get(pk=w.draft.pk).body),
    # Another member's API tokens
    Row("revoking another member's token", "post", lambda w: reverse("accounts:revoke_token", args=[w.token.pk]),
        web(302, 404, 302), "author", unchanged=token_state),
    Row("API: revoking another member's token", "delete", lambda w: f"{API}/me/tokens/{w.token.pk}",
        api(401, 404, 200), "author", api=True, unchanged=token_state),
    Row("API: another member's token in one's own list", "get", lambda w: f"{API}/me/tokens",
        api(401, 200, 200), "author", api=True, hidden=lambda w: "laptop"),
    # Managers' insights
    *[
        Row(f"the insights page {name}", "get", lambda w, name=name: w.url(name), web(302, 403, 200), "manager")
        for name in ("insights:home", "insights:alerts", "insights:themes", "insights:posts")
    ],
    *[
        Row(f"API: insights {suffix}", "get", lambda w, suffix=suffix: w.api(f"/insights/{suffix}"),
            api(401, 403, 200), "manager", api=True)
        for suffix in ("summary", "alerts", "themes", "posts")
    ],
    # Suspending and banning members
    Row("suspending a member", "post",
        lambda w: reverse("communities:member_suspend", args=[w.community.slug, w.memberships["author"].pk]),
        web(302, 403, 302), "moderator", data=lambda w: {"until": SUSPEND_UNTIL, "reason": "Spam"},
        unchanged=state_of("author")),
    Row("banning a member", "post",
        lambda w: reverse("communities:member_ban", args=[w.community.slug, w.memberships["author"].pk]),
        web(302, 403, 302), "manager", data=lambda w: {"reason": "Spam"}, unchanged=state_of("author")),
    Row("API: suspending a member", "post", lambda w: w.api(f"/members/{w.memberships['author'].pk}/suspend"),
        api(401, 403, 200), "moderator", api=True, unchanged=state_of("author"),
        data=lambda w: {"reason": "Spam", "until": (timezone.now() + timedelta(days=7)).isoformat()}),
    Row("API: banning a member", "post", lambda w: w.api(f"/members/{w.memberships['author'].pk}/ban"),
        api(401, 403, 200), "manager", api=True, data=lambda w: {"reason": "Spam"}, unchanged=state_of("author")),
    # Moderation: the queue, the log, members' pages and private notes are the moderators'
    *[
        Row(f"the moderation page {name}", "get", lambda w, name=name: w.url(name), web(302, 403, 200), "moderator")
        for name in ("moderation:queue", "moderation:log", "moderation:appeals")
    ],
    Row("the rules editor", "get", lambda w: w.url("moderation:manage_rules"), web(302, 403, 200), "manager"),
    Row("a member's moderation page with the private notes", "get",
        lambda w: w.url("moderation:member", w.people["author"].handle), web(302, 403, 200), "moderator",
        hidden=lambda w: NOTE),
    Row("adding a private note", "post", lambda w: w.url("moderation:member_note", w.people["author"].handle),
        web(302, 403, 302), "moderator", data=lambda w: {"note-body": "Outra nota"},
        unchanged=lambda w: MemberNote.objects.count()),
    Row("warning a member", "post", lambda w: w.url("moderation:member_action", w.people["author"].handle, "warn"),
        web(302, 403, 302), "moderator", data=lambda w: {"warn-reason": "Wees vriendelik"},
        unchanged=lambda w: ModerationEntry.objects.count()),
    *[
        Row(f"API: moderation {suffix}", "get", lambda w, suffix=suffix: w.api(suffix), api(401, 403, 200),
            "moderator", api=True)
        for suffix in ("/review-items", "/moderation/log", "/appeals")
    ],
    Row("API: the private notes on a member", "get",
        lambda w: w.api(f"/members/{w.memberships['author'].pk}/notes"), api(401, 403, 200), "moderator", api=True,
        hidden=lambda w: NOTE),
    Row("API: warning a member", "post", lambda w: w.api(f"/members/{w.memberships['author'].pk}/warn"),
        api(401, 403, 201), "moderator", api=True, data=lambda w: {"reason": "Wees vriendelik"},
        unchanged=lambda w: ModerationEntry.objects.count()),
    # Another member's data export
    Row("downloading another member's export", "get",
        lambda w: reverse("accounts:download_export", args=[w.export.pk]), web(302, 404, 200), "author"),
    Row("API: another member's export", "get", lambda w: f"{API}/me/exports/{w.export.pk}",
        api(401, 404, 200), "author", api=True),
    Row("API: downloading another member's export", "get", lambda w: f"{API}/me/exports/{w.export.pk}/download",
        api(401, 404, 200), "author", api=True),
    # The activity log: only the operators' admin shows it (there is no community page or endpoint for it)
    Row("the activity log in the admin", "get", lambda w: "/admin/core/activity/",
        web(302, 302, 200), "operator"),
]  # fmt: skip


def client_for(world: World, actor: str, row: Row) -> Client:
    person = {"visitor": None, "member": "member", "outsider": "outsider", "insider": row.insider}[actor]
    if person is None:
        return Client()
    user = world.people[person]
    if row.api:
        _token, raw = account_actions.create_api_token(user=user, name="matrix", scopes=["read", "write"])
        return Client(headers={"Authorization": f"Bearer {raw}"})
    client = Client()
    client.force_login(user)
    return client


def request(client: Client, row: Row, world: World) -> Any:
    url, data = row.url(world), row.data(world)
    if row.api:
        body = json.dumps(data) if row.method != "get" else None
        return getattr(client, row.method)(url, data=body, content_type="application/json")
    return getattr(client, row.method)(url, data=data)


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("row", ROWS, ids=[row.description for row in ROWS])
def test_access_control_matrix(world, row, actor):
    client = client_for(world, actor, row)
    before = row.unchanged(world) if row.unchanged else None

    response = request(client, row, world)

    expected = row.expected[actor]
    assert response.status_code == expected, (row.description, actor, response.content[:300])
    if row.api and expected >= 400:
        assert response["Content-Type"] == "application/problem+json"
    if row.hidden is not None and expected == 200:
        text = json.dumps(response.json(), ensure_ascii=False) if row.api else response.content.decode()
        if actor == "insider":
            assert row.hidden(world) in text, "the positive control must show what the others may not see"
        else:
            assert row.hidden(world) not in text, (row.description, actor)
    if row.unchanged is not None and actor != "insider":
        assert row.unchanged(world) == before, (row.description, actor)


def test_a_refused_web_request_to_sign_in_goes_to_the_sign_in_page(world):
    """What 302 means for visitors in the matrix: the sign-in page, coming back afterwards."""
    url = world.url("conversations:new_thread", world.restricted.slug)
    response = Client().get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_every_row_has_a_status_for_every_actor():
    for row in ROWS:
        assert set(row.expected) == set(ACTORS), row.description
        refused = [row.expected[actor] for actor in ("visitor", "member", "outsider")]
        assert all(status < 500 for status in refused), row.description
