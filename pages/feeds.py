"""The Atom feed of newly published lists."""

from django.contrib.syndication.views import Feed
from django.urls import reverse_lazy
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from discovery.visibility import public_lists

FEED_LENGTH = 20
# Characters XML 1.0 cannot carry (C0 controls but tab, newline and carriage return): text an
# editor typed with one would otherwise break the whole feed.
NOT_IN_XML = dict.fromkeys([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20)])


def xml_text(text):
    return text.translate(NOT_IN_XML) if text else text


class PlainTextAtomFeed(Atom1Feed):
    """Atom whose entry summaries are plain text, shown as typed, never rendered.

    Django's Atom feed marks summaries type="html", and feed readers render them: markup an
    editor typed in a list's introduction would run there. Introductions are plain text on
    the site too (escaped, line breaks kept).
    """

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, {**item, "description": None})
        if item["description"] is not None:
            handler.addQuickElement("summary", item["description"], {"type": "text"})


class LatestListsFeed(Feed):
    """Published lists, newest first; drafts never appear."""

    feed_type = PlainTextAtomFeed
    title = _("Kinoteka: new film lists")
    subtitle = _("Themed lists of Soviet and Russian films, newly published.")
    link = reverse_lazy("lists:list-index")

    def items(self):
        return public_lists().order_by("-published_at", "pk")[:FEED_LENGTH]

    def item_title(self, item):
        return xml_text(item.title)

    def item_description(self, item):
        return xml_text(item.introduction)

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at
