"""The Atom feed of a public policy's changes (Django's syndication framework): one entry per
published version, with its change summary and the date it takes effect."""
from html import escape

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from generator.models import Publication, RetiredSlug

from . import services
from .views import _gone


class ChangesFeed(Feed):
    feed_type = Atom1Feed

    def __call__(self, request, *args, **kwargs):
        slug = kwargs.get("slug")
        publication = Publication.objects.filter(slug=slug).first()
        if publication is None and RetiredSlug.objects.filter(slug=slug, publication__live=True).exists():
            from django.http import HttpResponsePermanentRedirect

            current = RetiredSlug.objects.get(slug=slug).publication.slug
            return HttpResponsePermanentRedirect(reverse("public:feed", kwargs={"slug": current}))
        if publication is not None and not publication.live or \
                publication is None and RetiredSlug.objects.filter(slug=slug).exists():
            return _gone(request)
        return super().__call__(request, *args, **kwargs)

    def get_object(self, request, slug):
        publication = Publication.objects.filter(slug=slug, live=True).first()
        if publication is None or not services.public_versions(publication):
            raise Http404("No policy is published at this address")
        self.entries = {e.version.pk: e for e in services.timeline(publication)}
        return publication

    def _name(self, publication):
        latest = services.public_versions(publication)[-1]
        return latest.document.get("business_name") or latest.document.get("legal_name")

    def title(self, publication):
        return f"{self._name(publication)}: changes to the privacy policy"

    def subtitle(self, publication):
        return "Each new version of the privacy policy, what it changes and the date it takes effect."

    def link(self, publication):
        return reverse("public:policy", kwargs={"slug": publication.slug})

    def feed_guid(self, publication):
        # stable across renames: the publication, not its name
        return f"tag:hostpolicy,2026:publication-{publication.pk}"

    def author_name(self, publication):
        return self._name(publication)

    def items(self, publication):
        return list(reversed(services.public_versions(publication)))

    def item_title(self, version):
        return f"Version {version.number}, in force from {version.effective_on:%-d %B %Y}"

    def item_description(self, version):
        # The feed's summary is HTML (type="html"): each line of the business's text is escaped here,
        # so a reader shows what was typed, never markup.
        items = "".join(f"<li>{escape(line)}</li>" for line in version.summary.splitlines())
        return f"<p>Takes effect on {version.effective_on:%-d %B %Y}.</p><ul>{items}</ul>"

    def item_link(self, version):
        return reverse("public:changes", kwargs={"slug": version.publication.slug, "number": version.number})

    def item_guid(self, version):
        return f"tag:hostpolicy,2026:publication-{version.publication_id}:version-{version.number}"

    item_guid_is_permalink = False

    def item_pubdate(self, version):
        return version.created_at

    def item_updateddate(self, version):
        return version.created_at

    def item_author_name(self, version):
        return version.document.get("business_name") or version.document.get("legal_name")
