from belong.communities import actions
from belong.communities.models import MembershipState, Role


def test_creator_becomes_owner_and_a_member_can_join(user, django_capture_on_commit_callbacks, published):
    from belong.accounts.tests.factories import UserFactory

    with django_capture_on_commit_callbacks(execute=True):
        community = actions.create_community(creator=user, name="Acme", slug="acme")
        joiner = UserFactory()
        membership = actions.join_community(user=joiner, community=community)
    assert community.memberships.get(user=user).role == Role.OWNER
    assert membership.state == MembershipState.ACTIVE
    assert [type(e).__name__ for e in published] == ["CommunityCreated", "MemberJoined"]
