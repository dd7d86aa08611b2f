import factory
from django.utils import timezone

from belong.accounts.tests.factories import UserFactory
from belong.communities.actions import recount_members
from belong.communities.models import Community, Membership, MembershipState, Role, Space


class CommunityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Community

    name = factory.Sequence(lambda n: f"Brand {n}")
    slug = factory.Sequence(lambda n: f"brand-{n}")
    description = "A community for people who love the brand."
    languages = ["en", "pt", "bg", "af"]


class SpaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Space

    community = factory.SubFactory(CommunityFactory)
    name = factory.Sequence(lambda n: f"Space {n}")
    slug = factory.Sequence(lambda n: f"space-{n}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership
        skip_postgeneration_save = True

    community = factory.SubFactory(CommunityFactory)
    user = factory.SubFactory(UserFactory)
    role = Role.MEMBER
    state = MembershipState.ACTIVE
    joined_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def counted(obj, create, extracted, **kwargs):
        """Keep the community's cached member count right, as the membership actions do."""
        if create:
            recount_members(obj.community_id)
