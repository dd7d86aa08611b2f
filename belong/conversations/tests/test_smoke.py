from belong.communities.models import Role
from belong.conversations import actions, queries
from belong.conversations.models import ThreadKind


def test_a_question_gets_a_brand_answer_that_is_accepted(space, make_member, django_capture_on_commit_callbacks):
    asker = make_member(Role.MEMBER)
    staff = make_member(Role.STAFF)
    with django_capture_on_commit_callbacks(execute=True):
        thread = actions.create_thread(
            author=asker.user,
            space=space,
            kind=ThreadKind.QUESTION,
            title="Grind size?",
            body="Как да меля **кафето**?",
        )
        reply = actions.create_reply(author=staff.user, thread=thread, body=f"Medium, @{asker.user.handle}!")
        actions.accept_answer(actor=asker.user, thread=thread, post=reply)
    thread.refresh_from_db()
    assert thread.answered_by_brand and thread.accepted_answer_id == reply.pk
    posts = list(queries.posts_of(asker.user, thread))
    assert [p.pk for p in posts][1] == reply.pk and posts[1].is_official
    assert "<strong>кафето</strong>" in posts[0].body_html
