"""`belong reindex_search [--community SLUG]`: rebuild the search index of posts, in batches."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from belong.communities.models import Community
from belong.conversations.models import Post
from belong.conversations.search import index_posts, prune_index


class Command(BaseCommand):
    help = "Rebuild the search index of every post (or one community's), and drop rows of vanished posts."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--community", metavar="SLUG", help="only the posts of this community")
        parser.add_argument("--batch-size", type=int, default=500, help="posts written per transaction")

    def handle(self, *args: Any, **options: Any) -> None:
        posts = Post.objects.select_related("thread").order_by("pk")
        if options["community"]:
            community = Community.objects.filter(slug=options["community"]).first()
            if community is None:
                raise CommandError(f"No community with the address {options['community']!r}.")
            posts = posts.filter(community=community)
        batch_size = max(1, options["batch_size"])
        indexed, last_pk = 0, 0
        while True:
            batch = list(posts.filter(pk__gt=last_pk)[:batch_size])
            if not batch:
                break
            with transaction.atomic():
                indexed += index_posts(batch)
            last_pk = batch[-1].pk
        pruned = prune_index()
        self.stdout.write(self.style.SUCCESS(f"Indexed {indexed} posts; removed {pruned} stale entries."))
