"""Delete subscription requests never confirmed within HOSTPOLICY_SUBSCRIBE_CONFIRM_DAYS days
(default 7). Subscribing does it too; run this daily (beside expire_drafts) so an address is not
kept longer on a policy nobody subscribes to afterwards."""
from django.core.management.base import BaseCommand

from generator.public.services import delete_unconfirmed


class Command(BaseCommand):
    help = "Delete subscription requests that were not confirmed in time."

    def handle(self, *args, **options):
        count = delete_unconfirmed()
        self.stdout.write(f"Deleted {count} unconfirmed subscription request{'s' if count != 1 else ''}.")
