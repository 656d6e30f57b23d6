"""`manage.py explain_policy ANSWERS`: for every passage of the policy, the clause that wrote it,
the seed passage or article it was drawn from, what requires it and how it was vetted."""
from django.core.management.base import BaseCommand

from generator import policy
from generator.management.answers_file import load_answers_or_exit
from generator.provenance import format_traces, trace


class Command(BaseCommand):
    help = "Show where each passage of the policy generated from ANSWERS comes from."

    def add_arguments(self, parser):
        parser.add_argument("answers", help="answers file (YAML or JSON)")

    def handle(self, *args, **options):
        answers = load_answers_or_exit(self, options["answers"])
        self.stdout.write(format_traces(trace(policy.build(answers))), ending="")
