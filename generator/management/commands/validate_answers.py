"""`manage.py validate_answers FILE`: prints "valid" or the errors, one per line; exit 0 or 1."""
import sys

from django.core.management.base import BaseCommand

from generator.answers import load_answers_file


class Command(BaseCommand):
    help = "Validate an answers file (YAML or JSON) against format privacy-policy-answers/1."

    def add_arguments(self, parser):
        parser.add_argument("file", help="path to the answers file")

    def handle(self, *args, **options):
        result = load_answers_file(options["file"])
        if result.ok:
            self.stdout.write("valid")
            return
        for error in result.errors:
            self.stdout.write(str(error))
        self.stdout.flush()
        sys.exit(1)
