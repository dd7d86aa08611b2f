"""A member's data export holds what moderation keeps about them, and nothing about others."""

from __future__ import annotations

from typing import Any

import pytest

from belong.accounts import actions as accounts
from belong.accounts.tests.test_privacy import contents
from belong.communities.models import Role
from belong.conversations.actions import create_thread
from belong.moderation import actions
from belong.moderation.models import FlagReason

pytestmark = pytest.mark.django_db


def test_an_export_holds_flags_decisions_appeals_rules_and_notes(
    community, space, make_member, django_capture_on_commit_callbacks
):
    writer = make_member(Role.MEMBER, trust_level=1)
    flagger = make_member(Role.MEMBER, trust_level=1)
    moderator = make_member(Role.MODERATOR)
    actions.add_rule(actor=make_member(Role.MANAGER).user, community=community, title="Будьте ввічливі")
    actions.accept_rules(user=writer.user, community=community)
    thread = create_thread(
        author=flagger.user, space=space, kind="discussion", title="Koffie", body="Die koffie was koud vandag."
    )
    actions.flag_post(flagger=writer.user, post=thread.posts.get(), reason=FlagReason.OTHER, text="Não é verdade.")
    warning = actions.warn_member(actor=moderator.user, membership=writer, reason="Моля, бъдете любезни.")
    actions.appeal(user=writer.user, entry=warning, text="I was polite.")
    actions.add_note(author=moderator.user, community=community, subject=writer.user, body="Usually helpful.")
    actions.add_note(author=moderator.user, community=community, subject=flagger.user, body="About someone else.")

    with django_capture_on_commit_callbacks(execute=True):
        the_export = accounts.request_export(user=writer.user)
    files: dict[str, Any] = contents(the_export)

    assert [flag["text"] for flag in files["flags.json"]] == ["Não é verdade."]
    assert [entry["reason"] for entry in files["moderation_record.json"]] == ["Моля, бъдете любезни."]
    assert [appeal["text"] for appeal in files["appeals.json"]] == ["I was polite."]
    assert [row["community_slug"] for row in files["rules_accepted.json"]] == [community.slug]
    assert [note["body"] for note in files["moderator_notes.json"]] == ["Usually helpful."]
