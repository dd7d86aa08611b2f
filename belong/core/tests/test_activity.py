"""The activity log: what record_activity writes, and that rows are never changed or deleted."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType

from belong.communities.tests.factories import CommunityFactory, SpaceFactory
from belong.core.activity import record_activity
from belong.core.models import Activity, AppendOnlyError

pytestmark = pytest.mark.django_db


def test_an_entry_takes_its_community_from_the_target(user, space):
    entry = record_activity(actor=user, verb="space.viewed", target=space, data={"from": "search"})
    entry.refresh_from_db()
    assert (entry.actor, entry.verb, entry.community, entry.target) == (user, "space.viewed", space.community, space)
    assert entry.target_type == ContentType.objects.get_for_model(space)
    assert entry.target_id == str(space.pk)
    assert entry.data == {"from": "search"}
    assert entry.created_at is not None


def test_a_community_is_its_own_community(user, community):
    assert record_activity(actor=user, verb="community.viewed", target=community).community == community


def test_an_explicit_community_wins(user, space):
    other = CommunityFactory()
    assert record_activity(actor=user, verb="x", target=space, community=other).community == other


def test_a_guests_action_has_no_actor(space):
    entry = record_activity(actor=AnonymousUser(), verb="space.viewed", target=space)
    assert entry.actor_id is None
    assert record_activity(actor=None, verb="space.viewed", target=space).actor_id is None


def test_an_entry_without_target(user):
    entry = record_activity(actor=user, verb="signed_in")
    assert (entry.target_type, entry.target_id, entry.community, entry.data) == (None, "", None, {})


def test_the_log_reads_newest_first(user, space):
    first = record_activity(actor=user, verb="a", target=space)
    second = record_activity(actor=user, verb="b", target=space)
    assert list(Activity.objects.all()) == [second, first]


def test_an_entry_cannot_be_changed(user, space):
    entry = record_activity(actor=user, verb="space.viewed", target=space)
    entry.verb = "something.else"
    with pytest.raises(AppendOnlyError):
        entry.save()
    entry.refresh_from_db()
    assert entry.verb == "space.viewed"


def test_an_entry_fetched_again_cannot_be_changed(user, space):
    record_activity(actor=user, verb="space.viewed", target=space)
    entry = Activity.objects.get()
    with pytest.raises(AppendOnlyError):
        entry.save(update_fields=["verb"])


def test_an_entry_cannot_be_deleted(user, space):
    entry = record_activity(actor=user, verb="space.viewed", target=space)
    with pytest.raises(AppendOnlyError):
        entry.delete()
    assert Activity.objects.filter(pk=entry.pk).exists()


def test_entries_outlive_the_person_who_acted(user, space):
    entry = record_activity(actor=user, verb="space.viewed", target=space)
    user.delete()
    entry.refresh_from_db()
    assert entry.actor is None


def test_entries_go_with_their_community(user):
    space = SpaceFactory()
    record_activity(actor=user, verb="space.viewed", target=space)
    space.community.delete()
    assert not Activity.objects.exists()


@pytest.mark.django_db
def test_bulk_updates_and_deletes_of_the_activity_log_are_refused(user):
    record_activity(actor=user, verb="test.bulk")
    with pytest.raises(AppendOnlyError):
        Activity.objects.filter(verb="test.bulk").update(verb="changed")
    with pytest.raises(AppendOnlyError):
        Activity.objects.filter(verb="test.bulk").delete()
    assert Activity.objects.filter(verb="test.bulk").count() == 1


@pytest.mark.django_db
def test_deleting_a_person_keeps_their_activity_without_them(user):
    record_activity(actor=user, verb="test.kept")
    user.delete()
    assert Activity.objects.get(verb="test.kept").actor_id is None
