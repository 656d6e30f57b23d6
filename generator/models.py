"""Stored drafts and published versions.

A draft is one business's answers document being edited in the wizard. It is reachable only through
a secret link: the token (``secrets.token_urlsafe(32)``, 256 bits) appears in the URL and nowhere in
the database, which keeps only its SHA-256. A leaked database therefore gives no working links, and
no sequential id ever appears in a URL.

``answers`` holds the answers document (format privacy-policy-answers/1) as a dict, possibly
incomplete while the wizard is under way. ``pending`` holds, per step, form input that could not be
saved yet (invalid, or left with the Back button), so nothing typed is lost.
"""
import hashlib
import secrets

from django.db import models

TOKEN_BYTES = 32  # 256 bits; the issue asks for at least 128


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


class Draft(models.Model):
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    answers = models.JSONField(default=dict, blank=True)
    pending = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at"]

    def __str__(self) -> str:
        name = (self.answers.get("business") or {}).get("legal_name") or "unnamed"
        return f"Draft for {name} (updated {self.updated_at:%Y-%m-%d %H:%M})"


class PublishedVersion(models.Model):
    """The answers frozen when the business publishes its policy, with the date it was generated."""

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()  # 1, 2, 3 ... within the draft (only shown under its secret link)
    answers = models.JSONField()
    generated_on = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)
    # The public side (generator.public). A version published at the public address belongs to its
    # publication, takes effect on `effective_on` (after the notice period), and keeps the policy
    # document it produced, so it reads the same after the clause library changes.
    publication = models.ForeignKey(
        "Publication", null=True, blank=True, on_delete=models.SET_NULL, related_name="versions")
    effective_on = models.DateField(null=True, blank=True)
    summary = models.TextField(blank=True, default="")  # plain text, one change a line
    document = models.JSONField(null=True, blank=True)  # generator.document.to_json_dict
    library_fingerprint = models.CharField(max_length=64, blank=True, default="")
    renderer_version = models.CharField(max_length=16, blank=True, default="")
    # The customer DPA as published beside the policy (when the answers call for one): its
    # sub-processors table is the public list at /p/<slug>/subprocessors/. When this version adds or
    # replaces a sub-processor, customers may object until `objection_until` (the recorded notice day +
    # the objection days of the agreement in force).
    dpa_document = models.JSONField(null=True, blank=True)  # generator.document.to_json_dict
    objection_until = models.DateField(null=True, blank=True)
    # Counsel M5/M6: the notice of a list or DPA change is given when the business emails it to every
    # customer's account address, not when it is published. `dpa_changes`: the titles of the DPA's
    # sections whose text this version changes (other than through its sub-processors), found when
    # it was published; `notice_sent_on`: the day the business recorded sending the notice, from
    # which `objection_until` and the change's own start count (generator.public.notice).
    dpa_changes = models.JSONField(default=list, blank=True)
    notice_sent_on = models.DateField(null=True, blank=True)
    # Counsel round 3, n5: the business's answer, at publish, that one of `dpa_changes` reduces the
    # protection of customers' data; such a change applies to a customer only once it accepts it.
    dpa_change_reduces = models.BooleanField(default=False)

    class Meta:
        ordering = ["draft", "number"]
        constraints = [models.UniqueConstraint(fields=["draft", "number"], name="unique_version_number_per_draft")]

    def __str__(self) -> str:
        return f"Version {self.number} of {self.draft_id}, generated {self.generated_on}"


class Publication(models.Model):
    """The public address of a draft's policy, `/p/<slug>/` (generator.public). One per draft; the
    slug is chosen once and can be renamed. An unpublished publication keeps its row, so its old
    links answer 410 Gone rather than 404 or being taken by someone else."""

    draft = models.OneToOneField(Draft, on_delete=models.CASCADE, related_name="publication")
    slug = models.SlugField(max_length=40, unique=True)
    live = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"/p/{self.slug}/ ({'live' if self.live else 'unpublished'})"


class RetiredSlug(models.Model):
    """A public name given up by a rename: its links redirect to the current name, and nobody else
    can take it (a visitor following an old link never lands on another business's policy)."""

    slug = models.SlugField(max_length=40, unique=True)
    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="retired_slugs")
    retired_at = models.DateTimeField(auto_now_add=True)


TOPICS = (("policy", "changes to the privacy policy"), ("subprocessors", "changes to the sub-processor list"))


class Subscriber(models.Model):
    """Someone who asked to hear about changes to one public policy, or to its sub-processor list
    (`topic`; one subscription per address and topic). Stored only for that purpose: the address,
    when it was given and when it was confirmed (double opt-in); the row is deleted on unsubscribe,
    and an unconfirmed one after HOSTPOLICY_SUBSCRIBE_CONFIRM_DAYS."""

    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="subscribers")
    email = models.EmailField(max_length=254)
    topic = models.CharField(max_length=16, choices=TOPICS, default="policy")
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["publication", "email"]
        constraints = [models.UniqueConstraint(fields=["publication", "email", "topic"],
                                               name="unique_subscriber_per_publication_topic")]

    def __str__(self) -> str:
        return f"Subscriber {self.pk} of {self.publication_id}"
