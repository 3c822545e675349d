"""The Atom feed of newly published lists."""

from django.contrib.syndication.views import Feed
from django.urls import reverse_lazy
from django.utils.feedgenerator import Atom1Feed

from lists.models import CuratedList

FEED_LENGTH = 20


class LatestListsFeed(Feed):
    """Published lists, newest first; drafts never appear."""

    feed_type = Atom1Feed
    title = "Kinoteka: new film lists"
    subtitle = "Themed lists of Soviet and Russian films, newly published."
    link = reverse_lazy("lists:list-index")

    def items(self):
        return CuratedList.objects.published().order_by("-published_at", "pk")[:FEED_LENGTH]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.introduction

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at
