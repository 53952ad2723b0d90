"""The Atom feed of what OPA publishes (SMC 3.29.030.C, D): redacted texts only."""

from __future__ import annotations

import datetime as dt

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from oversight.labels import public_label

from .models import Publication


class PublishedFeed(Feed):
    feed_type = Atom1Feed
    title = _("Office of Police Accountability: published summaries")
    subtitle = _("Completed investigation summaries, Management Actions, statements and appeal outcomes.")

    def link(self) -> str:
        return reverse("public:publications")

    def items(self) -> list[Publication]:
        return list(Publication.objects.select_related("case").order_by("-published_at", "-pk")[:50])

    def item_title(self, item: Publication) -> str:
        return f"{item.case.number}: {item.title}"

    def item_description(self, item: Publication) -> str:
        return item.text

    def item_link(self, item: Publication) -> str:
        return reverse("public:publication", kwargs={"pk": item.pk})

    def item_pubdate(self, item: Publication) -> dt.datetime:
        return item.published_at

    def item_updateddate(self, item: Publication) -> dt.datetime:
        return item.published_at

    def item_categories(self, item: Publication) -> list[str]:
        """What a feed reader shows beside the entry: its kind, allegations and findings, in words."""
        return [
            public_label("publication", item.kind),
            *(public_label("category", a) for a in item.allegations),
            *(public_label("finding", f) for f in item.findings),
        ]
