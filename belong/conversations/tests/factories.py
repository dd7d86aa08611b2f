import factory
from django.utils import timezone

from belong.accounts.tests.factories import UserFactory
from belong.communities.tests.factories import SpaceFactory
from belong.conversations.models import Post, Product, Tag, Thread, ThreadKind


class ThreadFactory(factory.django.DjangoModelFactory):
    """A thread written straight to the database; tests of behaviour use the actions instead."""

    class Meta:
        model = Thread
        skip_postgeneration_save = True

    space = factory.SubFactory(SpaceFactory)
    community = factory.LazyAttribute(lambda t: t.space.community)
    author = factory.SubFactory(UserFactory)
    kind = ThreadKind.DISCUSSION
    title = factory.Sequence(lambda n: f"Thread {n}")
    last_activity_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def opening(obj, create, extracted, **kwargs):
        if create:
            body = extracted or f"Opening post of {obj.title}"
            Post.objects.create(
                community=obj.community,
                thread=obj,
                author=obj.author,
                is_opening=True,
                body=body,
                body_html=f"<p>{body}</p>",
            )


class PostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Post

    thread = factory.SubFactory(ThreadFactory)
    community = factory.LazyAttribute(lambda p: p.thread.community)
    author = factory.SubFactory(UserFactory)
    body = factory.Sequence(lambda n: f"Reply {n}")
    body_html = factory.LazyAttribute(lambda p: f"<p>{p.body}</p>")


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tag

    name = factory.Sequence(lambda n: f"tag{n}")
    slug = factory.LazyAttribute(lambda t: t.name)
    is_official = True


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product

    name = factory.Sequence(lambda n: f"Product {n}")
    slug = factory.Sequence(lambda n: f"product-{n}")
