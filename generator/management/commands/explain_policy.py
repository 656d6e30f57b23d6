"""`manage.py explain_policy ANSWERS [--document dpa]`: for every passage of the policy (or of the
customer DPA), the clause that wrote it, the seed passage or article it was drawn from, what
requires it and how it was vetted."""
from django.core.management.base import BaseCommand, CommandError

from generator import dpa, policy
from generator.management.answers_file import load_answers_or_exit
from generator.provenance import format_traces, trace


class Command(BaseCommand):
    help = "Show where each passage of the policy (or the customer DPA) generated from ANSWERS comes from."

    def add_arguments(self, parser):
        parser.add_argument("answers", help="answers file (YAML or JSON)")
        parser.add_argument("--document", choices=("policy", "dpa"), default="policy",
                            help="the privacy policy (default) or the customer data processing agreement")

    def handle(self, *args, **options):
        answers = load_answers_or_exit(self, options["answers"])
        if options["document"] == "dpa":
            reason = dpa.why_not_available(answers)
            if reason:
                raise CommandError(reason)
            traces = trace(dpa.build_dpa(answers), library=dpa.get_dpa_library())
        else:
            traces = trace(policy.build(answers))
        self.stdout.write(format_traces(traces), ending="")
