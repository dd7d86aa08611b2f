"""The demo's moderation: rules, a queue with every kind of item, decisions, sanctions, an appeal and notes.

Everything goes through the same actions members and moderators use, so the demo shows what
they would see: a flagged post hidden by members' flags, a spam repeat and a newcomer's first post
held, decided items in the log, a warning under appeal and a silence.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from belong.communities.models import SpaceVisibility
from belong.conversations.actions import create_reply, create_thread
from belong.conversations.models import Thread, ThreadKind
from belong.conversations.moderation import move_thread
from belong.core.models import ModerationEntry
from belong.demo import data
from belong.demo.loader import DemoContext, demo_step
from belong.moderation import actions
from belong.moderation.models import Decision, FlagReason, ReviewItem, ReviewState, Rule

RULES = (
    (
        "Be kind and assume good intent",
        "Disagree with ideas, not with people. No insults, name-calling or pile-ons — in any language.",
    ),
    (
        "Stay on topic",
        "Post in the space that fits, and start a new thread for a new question.",
    ),
    (
        "No spam or self-promotion",
        "Links to your own shop, affiliate codes and the same message in several threads are removed.",
    ),
    (
        "Keep private details private",
        "Never post someone's address, phone number or order details — yours included. Write to support instead.",
    ),
    (
        "Write in any language",
        "English, Português, Български and Afrikaans are all welcome; others may answer in theirs.",
    ),
)

RUDE_REPLY = (
    "Honestly, anyone who still buys this overpriced burnt coffee is an idiot. The roasters clearly have no clue "
    "what they are doing and neither do the people defending them here."
)
SPAM_TEXT = "Cheapest grinders in town!!! Visit my shop for 50% off every hand grinder, today only, limited stock."
SPAMMER_HANDLE = "grinder.deals"
NEWCOMER_HANDLE = "rita.nova"
NEWCOMER_TITLE = "Moagem para prensa francesa?"
NEWCOMER_TEXT = (
    "Olá a todos! Acabei de receber o meu primeiro pacote da Ponte e queria saber qual moagem usar para a "
    "minha prensa francesa."
)


def _open_threads(ctx: DemoContext) -> list[Thread]:
    """Two open conversations of the public spaces, the newest first, to reply to."""
    return list(
        Thread.objects.filter(
            community=ctx.community,
            space__visibility=SpaceVisibility.PUBLIC,
            kind__in=[ThreadKind.DISCUSSION, ThreadKind.CRITICISM, ThreadKind.REVIEW],
            is_hidden=False,
            is_locked=False,
        ).order_by("-last_activity_at", "-id")[:2]
    )


@demo_step("moderation: rules and settings", order=350)
def rules(ctx: DemoContext) -> None:
    manager = ctx.user(data.MANAGER_HANDLE)
    if Rule.objects.filter(community=ctx.community).exists():
        return
    for title, description in RULES:
        actions.add_rule(actor=manager, community=ctx.community, title=title, description=description)
        ctx.count("rules")
    actions.update_settings(actor=manager, community=ctx.community, blocked_words=["burro", "тъпанар", "dommerik"])
    # Everyone who joined before the rules were written accepts them, as a banner on their next visit would ask.
    for handle in ("emily.c", "bia.almeida", "elena.s", "marike", "priya.n"):
        actions.accept_rules(user=ctx.user(handle), community=ctx.community)


@demo_step("moderation: flags, held posts and the review queue", order=360)
def queue(ctx: DemoContext) -> None:
    if ReviewItem.objects.filter(community=ctx.community).exists():
        return
    discussions = _open_threads(ctx)
    if len(discussions) < 2:
        return  # a demo loaded without the conversations' threads has nothing to moderate
    thread, other = discussions
    moderator = ctx.user(data.MODERATOR_HANDLE)
    rude = create_reply(author=ctx.user("jack.t"), thread=thread, body=RUDE_REPLY)
    be_kind = Rule.objects.filter(community=ctx.community).order_by("position").first()
    actions.flag_post(flagger=ctx.user("priya.n"), post=rude, reason=FlagReason.RULE, rule=be_kind)
    actions.flag_post(flagger=ctx.user("emily.c"), post=rude, reason=FlagReason.ABUSIVE)
    actions.flag_post(
        flagger=ctx.user("elena.s"), post=rude, reason=FlagReason.OTHER, text="Обижда всички, които пият кафе."
    )
    ctx.count("flags", 3)

    off_topic = create_reply(
        author=ctx.user("oli.b"),
        thread=other,
        body="Unrelated, but does anyone know a good bike shop near the Lisbon roastery?",
    )
    actions.flag_post(flagger=ctx.user("bia.almeida"), post=off_topic, reason=FlagReason.OFF_TOPIC)
    ctx.count("flags")

    # A shop's account posts the same advert twice: the second is held as spam, and the account is silenced.
    spammer = ctx.user(SPAMMER_HANDLE)
    create_reply(author=spammer, thread=thread, body=SPAM_TEXT)
    create_reply(author=spammer, thread=other, body=SPAM_TEXT)
    actions.silence_member(
        actor=ctx.user("petya"),
        membership=ctx.membership(SPAMMER_HANDLE),
        until=timezone.now() + timedelta(days=3),
        reason="Една и съща реклама в две теми. Моля, прочети правило 3.",
    )

    # A newcomer's first post waits for approval while the community asks for it.
    actions.update_settings(actor=ctx.user(data.MANAGER_HANDLE), community=ctx.community, require_approval=True)
    newcomer = ctx.user(NEWCOMER_HANDLE)
    create_thread(
        author=newcomer,
        space=thread.space,
        kind=ThreadKind.QUESTION,
        title=NEWCOMER_TITLE,
        body=NEWCOMER_TEXT,
    )
    actions.update_settings(actor=ctx.user(data.MANAGER_HANDLE), community=ctx.community, require_approval=False)

    # Two decided items for the log: one approved after a look, one rejected.
    fine = create_reply(
        author=ctx.user("thiago.rocha"),
        thread=other,
        body="Pessoal, o lote novo da Etiópia está incrível — notas de pêssego e jasmim na V60.",
    )
    flagged = actions.flag_post(flagger=ctx.user("rafa.souza"), post=fine, reason=FlagReason.SPAM)
    actions.decide_item(moderator=moderator, item=flagged.item, decision=Decision.APPROVE)
    advert = create_reply(
        author=ctx.user("wian.c"), thread=other, body="Koop goedkoop koffie by my winkel, stuur vir my 'n boodskap!"
    )
    spam_flag = actions.flag_post(flagger=ctx.user("marike"), post=advert, reason=FlagReason.SPAM)
    actions.decide_item(
        moderator=ctx.user("ruan.botha"),
        item=spam_flag.item,
        decision=Decision.REJECT,
        reason="Advertising your own shop breaks rule 3.",
    )
    ctx.count("review items", ReviewItem.objects.filter(community=ctx.community).count())


@demo_step("moderation: a warning under appeal, notes and a moved thread", order=370)
def sanctions(ctx: DemoContext) -> None:
    if ModerationEntry.objects.filter(community=ctx.community, action="member.warned").exists():
        return
    moderator = ctx.user(data.MODERATOR_HANDLE)
    manager = ctx.user(data.MANAGER_HANDLE)
    warning = actions.warn_member(
        actor=moderator,
        membership=ctx.membership("jack.t"),
        reason="Calling other members idiots breaks rule 1. Please keep it about the coffee.",
    )
    actions.appeal(
        user=ctx.user("jack.t"),
        entry=warning,
        text="I was talking about the coffee, not about anyone here. Sorry if it came across badly.",
    )
    actions.add_note(
        author=manager,
        community=ctx.community,
        subject=ctx.user("jack.t"),
        body="Long-time customer, usually helpful. Had a bad delivery last week — worth a kind word.",
    )
    actions.add_note(
        author=ctx.user("ruan.botha"),
        community=ctx.community,
        subject=ctx.user("wian.c"),
        body="Het reeds twee keer sy winkel geadverteer. Volgende keer: 'n waarskuwing.",
    )
    moved = (
        Thread.objects.filter(
            community=ctx.community, space__slug="general", kind=ThreadKind.QUESTION, is_hidden=False, reply_count__gt=0
        )
        .order_by("-last_activity_at")
        .first()
    )
    brew_help = ctx.community.spaces.filter(slug="brew-help").first()
    if moved is not None and brew_help is not None:
        move_thread(actor=moderator, thread=moved, space=brew_help, reason="A brewing question belongs in Brew help.")
    ctx.count("moderation log entries", ModerationEntry.objects.filter(community=ctx.community).count())
    ctx.count("pending reviews", ReviewItem.objects.filter(community=ctx.community, state=ReviewState.PENDING).count())
