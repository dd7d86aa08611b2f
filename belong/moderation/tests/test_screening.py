"""The checks every new or edited post passes, and insights' signals joining the queue."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from belong.communities.models import Role
from belong.conversations import actions as conversations
from belong.conversations.events import MembersMentioned
from belong.conversations.models import Post, PostRevision, Thread
from belong.core.errors import Invalid
from belong.core.events import publish
from belong.insights.events import PostAnalysed
from belong.moderation import actions, tasks
from belong.moderation.models import ReviewItem, ReviewSource, ReviewState
from belong.moderation.screening import REPEAT_WINDOW, blocked_word_in
from belong.moderation.tests.factories import entries, fresh, opening_of, reply_to, start_thread

pytestmark = pytest.mark.django_db

SAME = "Descale the kettle with citric acid every month, then rinse it twice."


@pytest.fixture
def writer(person):
    """A new member, trusted with links, whose trust the activity of the test does not move."""
    return person(Role.MEMBER, trust_level=1, trust_level_pinned=True)


@pytest.fixture
def settings_of(boss):
    def change(community, **changes):
        return actions.update_settings(actor=boss, community=community, **changes)

    return change


@pytest.fixture
def blocked(settings_of, community):
    return settings_of(community, blocked_words=["Porcaria", "лошо", "gemors", "não presta", "rubbish"])


def links(count: int) -> str:
    return " ".join(f"[shop {n}](https://shop{n}.example.com/deal)" for n in range(count))


def held_item(post: Post) -> ReviewItem:
    return ReviewItem.objects.get(post=post, state=ReviewState.PENDING)


# --- Blocked words ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("This kettle is rubbish.", "rubbish"),
        ("RUBBISH, all of it", "rubbish"),
        ("Този чайник е лошо направен.", "лошо"),
        ("ЛОШО качество!", "лошо"),
        ("Que porcaria de chaleira.", "porcaria"),
        ("Isto NÃO PRESTA para nada.", "não presta"),
        ("Dis alles gemors, ek sê.", "gemors"),
    ],
)
def test_a_reply_with_a_blocked_word_is_refused_naming_the_word(blocked, thread, writer, refused, text, word):
    with refused(Invalid) as info:
        reply_to(thread, writer, text)
    assert f"“{word}”" in info.value.detail
    assert "body" in info.value.errors


@pytest.mark.parametrize(
    "text",
    [
        "Rubbishy? No, it is fine.",
        "Лошотия няма, всичко е наред.",
        "Porcarias? Nunca.",
        "Nao presta atencao ao manual.",
        "Gemorste is nie 'n woord nie.",
    ],
)
def test_blocked_words_match_whole_words_only(blocked, thread, writer, text):
    post = reply_to(thread, writer, text)
    assert not post.is_hidden


def test_a_blocked_word_in_a_threads_title_is_refused(blocked, space, writer, refused):
    with refused(Invalid):
        start_thread(writer, space, title="Rubbish kettle", body="It leaks.")


def test_a_thread_with_a_blocked_word_writes_nothing(blocked, space, writer, refused):
    with refused(Invalid):
        start_thread(writer, space, title="Моят чайник", body="Много лошо.")
    assert not Thread.objects.filter(author=writer).exists()


def test_an_edit_with_a_blocked_word_is_refused_and_keeps_the_old_text(blocked, thread, writer, refused):
    post = reply_to(thread, writer, "Fine kettle.")
    with refused(Invalid):
        conversations.edit_post(editor=writer, post=post, body="Gemors kettle.")
    assert fresh(post).body == "Fine kettle."
    assert not PostRevision.objects.filter(post=post).exists()


@pytest.mark.parametrize("role", [Role.MANAGER, Role.MODERATOR])
def test_blocked_words_refuse_the_communitys_own_people_too(blocked, thread, person, refused, role):
    someone = person(role)
    with refused(Invalid):
        reply_to(thread, someone, "Porcaria.")


def test_blocked_words_are_kept_lowercased_sorted_and_without_duplicates(settings_of, community):
    found = settings_of(community, blocked_words="Rubbish, rubbish\nЛОШО\n  \ngemors")
    assert found.blocked_words == ["gemors", "rubbish", "лошо"]


def test_blocked_word_in_finds_phrases_across_punctuation_and_spacing():
    assert blocked_word_in("Isto não   presta!", ["não presta"]) == "não presta"
    assert blocked_word_in("não, presta atenção", ["não presta"]) == "não presta"  # words, not punctuation
    assert blocked_word_in("nothing here", []) is None


# --- Repeated text ---------------------------------------------------------------------------


def test_the_same_text_again_within_a_day_is_held_as_spam(thread, writer, space, commit):
    first = reply_to(thread, writer, SAME)
    other = start_thread(writer, space, title="Limescale again", body="Another kettle, same trouble here.")
    with commit():
        again = reply_to(other, writer, "  " + SAME.upper().replace(" ", "\n", 2) + " ")
    assert not fresh(first).is_hidden
    assert fresh(again).is_hidden
    item = held_item(again)
    assert (item.sources, item.signals, item.flag_weight) == ([ReviewSource.SPAM], ["repeated"], 0.0)
    assert not fresh(other).is_hidden  # a held reply does not hide its thread


def test_short_texts_repeated_are_not_spam(thread, writer):
    reply_to(thread, writer, "Dankie, dit werk!")
    assert not reply_to(thread, writer, "Dankie, dit werk!").is_hidden
    assert not ReviewItem.objects.exists()


def test_the_same_text_after_a_day_is_not_held(thread, writer, monkeypatch):
    reply_to(thread, writer, SAME)
    later = timezone.now() + REPEAT_WINDOW + timedelta(minutes=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert not reply_to(thread, writer, SAME).is_hidden


def test_the_same_text_by_someone_else_is_not_held(thread, writer, person):
    reply_to(thread, writer, SAME)
    assert not reply_to(thread, person(Role.MEMBER), SAME).is_hidden


def test_text_repeated_after_deleting_the_first_is_not_held(thread, writer):
    first = reply_to(thread, writer, SAME)
    conversations.delete_post(actor=writer, post=first)
    assert not reply_to(thread, writer, SAME).is_hidden


# --- Links -----------------------------------------------------------------------------------


def test_many_links_from_a_member_below_trust_level_two_are_held(thread, writer):
    post = reply_to(thread, writer, "Compare: " + links(6))
    assert post.is_hidden
    assert held_item(post).signals == ["links"]
    assert held_item(post).sources == [ReviewSource.SPAM]


def test_as_many_links_as_allowed_are_not_held(thread, writer):
    assert not reply_to(thread, writer, "Compare: " + links(5)).is_hidden


def test_the_communitys_link_limit_applies(thread, writer, settings_of):
    settings_of(thread.community, max_links=1)
    assert reply_to(thread, writer, links(2)).is_hidden


def test_many_links_from_trust_level_two_are_not_held(thread, person):
    trusted = person(Role.MEMBER, trust_level=2, trust_level_pinned=True)
    assert not reply_to(thread, trusted, links(8)).is_hidden


def test_an_edit_adding_many_links_is_held(thread, writer):
    post = reply_to(thread, writer, "No links yet.")
    edited = conversations.edit_post(editor=writer, post=post, body=links(7))
    assert fresh(edited).is_hidden
    assert held_item(post).signals == ["links"]


# --- First posts waiting for approval ---------------------------------------------------------


def test_a_new_members_first_post_waits_for_approval(thread, writer, settings_of, commit):
    settings_of(thread.community, require_approval=True)
    with commit():
        post = reply_to(thread, writer, "Olá! A minha primeira mensagem aqui.")
    assert post.is_hidden
    item = held_item(post)
    assert (item.sources, item.signals) == ([ReviewSource.APPROVAL], ["approval"])


def test_posts_wait_until_approval_posts_are_published(thread, writer, settings_of, moderator):
    settings_of(thread.community, require_approval=True, approval_posts=2)
    first = reply_to(thread, writer, "Здравейте, първо съобщение.")
    second = reply_to(thread, writer, "Второ съобщение, докато чакам.")
    assert first.is_hidden and second.is_hidden
    actions.decide_item(moderator=moderator, item=held_item(first), decision="approve")
    assert reply_to(thread, writer, "Трето съобщение.").is_hidden  # one published, two needed
    actions.decide_item(moderator=moderator, item=held_item(second), decision="approve")
    assert not reply_to(thread, writer, "Четвърто съобщение, вече без чакане.").is_hidden


def test_a_held_opening_post_hides_its_thread_until_approved(space, writer, settings_of, moderator):
    settings_of(space.community, require_approval=True)
    thread = start_thread(writer, space)
    assert fresh(thread).is_hidden and opening_of(thread).is_hidden
    actions.decide_item(moderator=moderator, item=held_item(opening_of(thread)), decision="approve")
    assert not fresh(thread).is_hidden and not opening_of(thread).is_hidden


def test_a_rejected_opening_post_keeps_its_thread_hidden(space, writer, settings_of, moderator):
    settings_of(space.community, require_approval=True)
    thread = start_thread(writer, space)
    actions.decide_item(moderator=moderator, item=held_item(opening_of(thread)), decision="reject", reason="Spam.")
    assert fresh(thread).is_hidden and opening_of(thread).is_deleted


def test_without_require_approval_first_posts_are_published(thread, writer):
    assert not reply_to(thread, writer, "Hallo almal, my eerste boodskap.").is_hidden


@pytest.mark.parametrize("role", [Role.OWNER, Role.MANAGER, Role.STAFF, Role.MODERATOR, Role.EXPERT, Role.AMBASSADOR])
def test_the_communitys_trusted_roles_are_never_held(thread, space, person, settings_of, role):
    settings_of(thread.community, require_approval=True, max_links=1)
    someone = person(role, trust_level=0, trust_level_pinned=True)
    assert not reply_to(thread, someone, SAME).is_hidden
    assert not reply_to(thread, someone, SAME + " " + links(4)).is_hidden
    assert not fresh(start_thread(someone, space, body=SAME)).is_hidden
    assert not ReviewItem.objects.exists()


def test_every_reason_of_a_hold_is_kept_on_one_item(thread, writer, settings_of):
    settings_of(thread.community, require_approval=True)
    reply_to(thread, writer, SAME)
    post = reply_to(thread, writer, SAME)
    [item] = ReviewItem.objects.filter(post=post)
    assert item.signals == ["approval", "repeated"]
    assert item.sources == [ReviewSource.APPROVAL, ReviewSource.SPAM]


# --- Mentions --------------------------------------------------------------------------------


def mentioned(published):
    return [event for event in published if isinstance(event, MembersMentioned)]


def test_mentions_in_a_held_post_are_not_announced(thread, writer, person, settings_of, published, commit):
    named = person(Role.MEMBER)
    settings_of(thread.community, require_approval=True)
    with commit():
        reply_to(thread, writer, f"@{named.handle} what do you think?")
    assert mentioned(published) == []


def test_mentions_in_a_published_post_are_announced(thread, writer, person, published, commit):
    named = person(Role.MEMBER)
    with commit():
        post = reply_to(thread, writer, f"@{named.handle} what do you think?")
    [event] = mentioned(published)
    assert (event.post_id, event.user_ids) == (post.pk, (named.pk,))


def test_mentions_are_announced_once_a_held_post_is_approved(
    thread, writer, person, settings_of, moderator, published, commit
):
    named = person(Role.MEMBER)
    settings_of(thread.community, require_approval=True)
    post = reply_to(thread, writer, f"@{named.handle} wat dink jy?")
    with commit():
        actions.decide_item(moderator=moderator, item=held_item(post), decision="approve")
    [event] = mentioned(published)
    assert (event.post_id, event.user_ids, event.actor_id) == (post.pk, (named.pk,), writer.pk)


def test_mentions_of_a_flagged_post_are_not_announced_again_on_approval(
    thread, writer, person, moderator, published, commit
):
    named = person(Role.MEMBER)
    with commit():
        post = reply_to(thread, writer, f"@{named.handle} what do you think?")
    item = actions.flag_post(flagger=person(Role.MEMBER, trust_level=4), post=post, reason="spam").item
    with commit():
        actions.decide_item(moderator=moderator, item=item, decision="approve")
    assert len(mentioned(published)) == 1


# --- Insights' signals -----------------------------------------------------------------------


def analysed(post: Post, *reasons: str) -> PostAnalysed:
    return PostAnalysed(
        community_id=post.community_id, post_id=post.pk, language="pt", sentiment="negative", flag_reasons=reasons
    )


def test_a_post_insights_found_toxic_is_queued_and_stays_visible(post, commit):
    with commit():
        publish(analysed(post, "toxic", "profanity"))
    item = held_item(post)
    assert (item.sources, item.signals) == ([ReviewSource.SIGNAL], ["profanity", "toxic"])
    assert not fresh(post).is_hidden
    assert entries("post.hidden") == []


def test_a_post_without_signals_is_not_queued(post, commit):
    with commit():
        publish(analysed(post))
    assert not ReviewItem.objects.exists()


def test_signals_join_the_item_already_waiting(post, person, commit):
    flagged = actions.flag_post(flagger=person(Role.MEMBER, trust_level=1), post=post, reason="abusive").item
    tasks.queue_signals.enqueue(post.pk, ["toxic"])
    [item] = ReviewItem.objects.all()
    assert item.pk == flagged.pk
    assert item.sources == [ReviewSource.FLAGS, ReviewSource.SIGNAL]
    assert item.flag_weight == 1.0


def test_the_same_text_is_not_queued_again_after_a_decision(post, moderator):
    first = tasks.queue_signals.enqueue(post.pk, ["toxic"]).return_value
    assert first is not None
    actions.decide_item(moderator=moderator, item=ReviewItem.objects.get(pk=first), decision="approve")
    assert tasks.queue_signals.enqueue(post.pk, ["toxic"]).return_value is None
    assert ReviewItem.objects.count() == 1


def test_an_edited_text_is_queued_again_after_a_decision(post, moderator, monkeypatch):
    first = tasks.queue_signals.enqueue(post.pk, ["profanity"]).return_value
    assert first is not None
    actions.decide_item(moderator=moderator, item=ReviewItem.objects.get(pk=first), decision="approve")
    later = timezone.now() + timedelta(minutes=5)
    monkeypatch.setattr(timezone, "now", lambda: later)
    conversations.edit_post(editor=post.author, post=post, body="Ainda é uma porcaria, desculpem.")
    again = tasks.queue_signals.enqueue(post.pk, ["profanity"]).return_value
    assert again is not None and again != first
    assert ReviewItem.objects.get(pk=again).state == ReviewState.PENDING


def test_a_moderators_edit_is_not_queued_again(post, moderator):
    first = tasks.queue_signals.enqueue(post.pk, ["toxic"]).return_value
    assert first is not None
    item = ReviewItem.objects.get(pk=first)
    actions.decide_item(moderator=moderator, item=item, decision="edit", reason="Toned down.", body="Calmer words.")
    assert tasks.queue_signals.enqueue(post.pk, ["toxic"]).return_value is None


def test_signals_for_a_deleted_or_missing_post_are_dropped(post):
    conversations.delete_post(actor=post.author, post=post)
    assert tasks.queue_signals.enqueue(post.pk, ["toxic"]).return_value is None
    assert tasks.queue_signals.enqueue(10**9, ["toxic"]).return_value is None
    assert not ReviewItem.objects.exists()
