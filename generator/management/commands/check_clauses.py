"""`manage.py check_clauses`: lint the clause library and catalogues; exit 1 on any problem."""
import sys

from django.core.management.base import BaseCommand

from generator.library.lint import lint


class Command(BaseCommand):
    help = "Check the clause library, catalogues and provenance under clauses/."

    def add_arguments(self, parser):
        parser.add_argument("--root", help="library folder (defaults to the project's clauses/)")

    def handle(self, *args, **options):
        problems = lint(options["root"]) if options["root"] else lint()
        for problem in problems:
            self.stdout.write(problem)
        if problems:
            self.stdout.write(f"{len(problems)} problem(s)")
            self.stdout.flush()
            sys.exit(1)
        self.stdout.write("clause library OK")
