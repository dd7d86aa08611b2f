import factory

from belong.accounts.tests.factories import UserFactory
from belong.communities.tests.factories import CommunityFactory
from belong.recognition.models import Badge, Nomination, Perk, PerkKind, Programme, Rank


class RankFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Rank

    community = factory.SubFactory(CommunityFactory)
    name = factory.Sequence(lambda n: f"Rank {n}")
    min_points = factory.Sequence(lambda n: 100 * (n + 1))


class BadgeFactory(factory.django.DjangoModelFactory):
    """A community's own badge (given by hand); built-in ones come from `defaults.badges_of`."""

    class Meta:
        model = Badge

    community = factory.SubFactory(CommunityFactory)
    key = factory.Sequence(lambda n: f"custom-{n}")
    name = factory.Sequence(lambda n: f"Badge {n}")
    description = "Given by the community team."


class PerkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Perk

    community = factory.SubFactory(CommunityFactory)
    name = factory.Sequence(lambda n: f"Perk {n}")
    kind = PerkKind.CODE


class NominationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Nomination

    community = factory.SubFactory(CommunityFactory)
    user = factory.SubFactory(UserFactory)
    programme = Programme.AMBASSADOR
