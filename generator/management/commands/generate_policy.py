"""`manage.py generate_policy ANSWERS --format FMT [--document {policy,dpa}] [-o OUT] [--report] [--draft]`.

`--document dpa` writes the customer data processing agreement instead of the privacy policy
(generator.dpa), in the same formats, with its own report; answers for a business that hosts no
customer data, or only under laws the agreement does not cover, exit 1 saying why.

Validates the answers (exit 1 with the errors when they are bad), builds the policy and writes it
in the chosen format to stdout or a file; --report prints the compliance report to stderr so that
stdout stays a clean document. Answers whose required fields are missing or hold placeholders
("[... not given]") exit 1 naming the fields, unless --draft.
"""
import sys
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from generator import compliance, completeness, dpa, dpa_report, policy, render
from generator.management.answers_file import load_answers_or_exit


class Command(BaseCommand):
    help = "Generate a privacy policy from an answers file."

    def add_arguments(self, parser):
        parser.add_argument("answers", help="answers file (YAML or JSON)")
        parser.add_argument("--format", "-f", choices=render.FORMAT_IDS, default="markdown")
        parser.add_argument(
            "--document", choices=("policy", "dpa"), default="policy",
            help="the privacy policy (default) or the customer data processing agreement",
        )
        parser.add_argument("-o", "--output", help="write here instead of stdout")
        parser.add_argument("--report", action="store_true", help="print the compliance report")
        parser.add_argument("--today", help="generation date YYYY-MM-DD (defaults to today)")
        parser.add_argument(
            "--draft", action="store_true",
            help="write the policy even if required fields are missing or hold placeholders (not for publishing)",
        )

    def handle(self, *args, **options):
        answers = load_answers_or_exit(self, options["answers"])
        try:
            today = date.fromisoformat(options["today"]) if options["today"] else None
        except ValueError:
            raise CommandError(f"--today: {options['today']!r} is not a date in the form YYYY-MM-DD") from None
        unfinished = completeness.unfinished_fields(answers)
        if unfinished and not options["draft"]:
            for path, why in unfinished:
                self.stderr.write(f"{path}: {why}")
            raise CommandError(
                f"{len(unfinished)} field(s) a published policy needs are missing or hold placeholders; "
                "fill them in, or pass --draft for a draft that is not for publishing"
            )
        for path, why in unfinished:
            self.stderr.write(f"draft: {path}: {why}")
        if options["document"] == "dpa":
            reason = dpa.why_not_available(answers)
            if reason:
                raise CommandError(reason)
            document = dpa.build_dpa(answers, today=today)
        else:
            document = policy.build(answers, today=today)
        output = render.render(document, options["format"])
        if options["output"]:
            mode = "wb" if isinstance(output, bytes) else "w"
            with open(options["output"], mode, encoding=None if mode == "wb" else "utf-8") as handle:
                handle.write(output)
        elif isinstance(output, bytes):
            sys.stdout.buffer.write(output)
            sys.stdout.flush()
        else:
            self.stdout.write(output, ending="" if output.endswith("\n") else "\n")
        if options["report"]:
            stream = self.stderr if not options["output"] else self.stdout
            if options["document"] == "dpa":
                stream.write(dpa_report.format_report(dpa_report.report(answers, document)))
            else:
                stream.write(compliance.format_report(compliance.report(answers, document)))
