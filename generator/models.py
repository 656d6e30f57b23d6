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

    class Meta:
        ordering = ["draft", "number"]
        constraints = [models.UniqueConstraint(fields=["draft", "number"], name="unique_version_number_per_draft")]

    def __str__(self) -> str:
        return f"Version {self.number} of {self.draft_id}, generated {self.generated_on}"
