"""The Atom feed of a public policy's changes (Django's syndication framework): one entry per
published version, with its change summary and the date it takes effect."""
import datetime
from html import escape
from typing import Any

from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from generator.models import Publication, PublishedVersion, RetiredSlug

from . import services
from .views import _gone


def _name(version: PublishedVersion) -> str:
    document = services.stored_document(version)
    return str(document.get("business_name") or document.get("legal_name") or "")


class ChangesFeed(Feed):
    feed_type = Atom1Feed

    def __call__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        slug = kwargs.get("slug")
        publication = Publication.objects.filter(slug=slug).first()
        retired = RetiredSlug.objects.select_related("publication").filter(slug=slug).first()
        if publication is None and retired is not None and retired.publication.live:
            return HttpResponsePermanentRedirect(reverse("public:feed", kwargs={"slug": retired.publication.slug}))
        if publication is not None and not publication.live or publication is None and retired is not None:
            return _gone(request)
        return super().__call__(request, *args, **kwargs)

    def get_object(self, request: HttpRequest, slug: str) -> Publication:
        publication = Publication.objects.filter(slug=slug, live=True).first()
        if publication is None or not services.public_versions(publication):
            raise Http404("No policy is published at this address")
        return publication

    def title(self, publication: Publication) -> str:
        return f"{_name(services.public_versions(publication)[-1])}: changes to the privacy policy"

    def subtitle(self, publication: Publication) -> str:
        return "Each new version of the privacy policy, what it changes and the date it takes effect."

    def link(self, publication: Publication) -> str:
        return reverse("public:policy", kwargs={"slug": publication.slug})

    def feed_guid(self, publication: Publication) -> str:
        # stable across renames: the publication, not its name
        return f"tag:hostpolicy,2026:publication-{publication.pk}"

    def author_name(self, publication: Publication) -> str:
        return _name(services.public_versions(publication)[-1])

    def items(self, publication: Publication) -> list[PublishedVersion]:
        return list(reversed(services.public_versions(publication)))

    def item_title(self, version: PublishedVersion) -> str:
        return f"Version {version.number}, in force from {services.takes_effect_on(version):%-d %B %Y}"

    def item_description(self, version: PublishedVersion) -> str:
        # The feed's summary is HTML (type="html"): each line of the business's text is escaped here,
        # so a reader shows what was typed, never markup.
        items = "".join(f"<li>{escape(line)}</li>" for line in version.summary.splitlines())
        return f"<p>Takes effect on {services.takes_effect_on(version):%-d %B %Y}.</p><ul>{items}</ul>"

    def item_link(self, version: PublishedVersion) -> str:
        slug = version.publication.slug if version.publication else ""
        return reverse("public:changes", kwargs={"slug": slug, "number": version.number})

    def item_guid(self, version: PublishedVersion) -> str:
        return f"tag:hostpolicy,2026:publication-{version.publication_id}:version-{version.number}"

    item_guid_is_permalink = False

    def item_pubdate(self, version: PublishedVersion) -> datetime.datetime:
        return version.created_at

    def item_updateddate(self, version: PublishedVersion) -> datetime.datetime:
        return version.created_at

    def item_author_name(self, version: PublishedVersion) -> str:
        return _name(version)
