"""Delete abandoned drafts: never published and untouched for HOSTPOLICY_DRAFT_EXPIRY_DAYS days
(default 90). A draft with a published version is never touched, however old. Run it daily (see
README, "Operations"); it is safe to run at any time and as often as you like."""
import datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from generator.models import Draft


class Command(BaseCommand):
    help = "Delete drafts that were never published and not changed for --days days."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None,
                            help="age in days since the last change (default: HOSTPOLICY_DRAFT_EXPIRY_DAYS)")
        parser.add_argument("--dry-run", action="store_true", help="only count what would be deleted")

    def handle(self, *args, days=None, dry_run=False, **options):
        days = settings.HOSTPOLICY_DRAFT_EXPIRY_DAYS if days is None else days
        if days < 1:
            raise CommandError("--days must be at least 1")
        cutoff = timezone.now() - datetime.timedelta(days=days)
        expired = Draft.objects.filter(updated_at__lt=cutoff, versions__isnull=True)
        count = expired.count()
        if not dry_run:
            # The filter again, by id, inside the delete: a draft published meanwhile is kept.
            Draft.objects.filter(pk__in=list(expired.values_list("pk", flat=True)), versions__isnull=True).delete()
        verb = "would delete" if dry_run else "deleted"
        self.stdout.write(f"{verb} {count} draft{'s' if count != 1 else ''} unchanged since {cutoff:%Y-%m-%d %H:%M} UTC and never published")
