import factory

from belong.accounts.tests.factories import UserFactory
from belong.conversations.models import ThreadKind
from belong.conversations.tests.factories import ThreadFactory
from belong.ideas.defaults import initial_status
from belong.ideas.models import BetaGroup, Idea, IdeaCategory, IdeaVote


class IdeaFactory(factory.django.DjangoModelFactory):
    """An idea written straight to the database (thread, opening post, status; no votes).

    Pass `thread__space=space` to place it; tests of behaviour use `actions.propose_idea` instead.
    """

    class Meta:
        model = Idea
        skip_postgeneration_save = True

    thread = factory.SubFactory(ThreadFactory, kind=ThreadKind.IDEA, title=factory.Sequence(lambda n: f"Idea {n}"))
    community = factory.LazyAttribute(lambda idea: idea.thread.community)
    status = factory.LazyAttribute(lambda idea: initial_status(idea.thread.community))


class IdeaVoteFactory(factory.django.DjangoModelFactory):
    """A vote written straight to the database: recount with `actions._recount_votes` if it matters."""

    class Meta:
        model = IdeaVote

    idea = factory.SubFactory(IdeaFactory)
    user = factory.SubFactory(UserFactory)


class IdeaCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IdeaCategory

    name = factory.Sequence(lambda n: f"Category {n}")
    slug = factory.Sequence(lambda n: f"category-{n}")


class BetaGroupFactory(factory.django.DjangoModelFactory):
    """Prefer `actions.create_beta_group`, which also makes the restricted space."""

    class Meta:
        model = BetaGroup

    name = factory.Sequence(lambda n: f"Beta {n}")
