"""`manage.py render_examples [--check]`: the worked DPAs in docs/examples/dpa/.

For every worked example (docs/examples/*.yaml) whose business hosts customer data under a law
the customer DPA covers, writes the DPA as Markdown to docs/examples/dpa/<example>.md. The
examples fix their effective dates, so the output is the same on every run; --check writes
nothing and exits 1 naming any file that is missing or out of date (the test suite runs it).
"""
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from generator import dpa, render
from generator.answers import load_answers_file


def examples_dir():
    return Path(settings.BASE_DIR) / "docs" / "examples"


def worked_dpas():
    """(example name, rendered Markdown) for each example that gets a DPA, in name order."""
    out = []
    for path in sorted(examples_dir().glob("*.yaml")):
        result = load_answers_file(path)
        answers = result.answers
        if answers is None:
            raise CommandError(f"{path.name}: {result.errors[0]}")
        if dpa.why_not_available(answers) is None:
            out.append((path.stem, render.render(dpa.build_dpa(answers), "markdown")))
    return out


class Command(BaseCommand):
    help = "Write the worked DPAs of the examples to docs/examples/dpa/ (--check: only compare)."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if a file is stale")

    def handle(self, *args, **options):
        target = examples_dir() / "dpa"
        expected = dict(worked_dpas())
        stale = [
            name for name, text in expected.items()
            if not (target / f"{name}.md").exists() or (target / f"{name}.md").read_text(encoding="utf-8") != text
        ]
        extra = sorted(p.stem for p in target.glob("*.md") if p.stem not in expected) if target.exists() else []
        if options["check"]:
            if stale or extra:
                raise CommandError(
                    f"out of date: {', '.join(stale + extra)}; run manage.py render_examples")
            self.stdout.write(f"{len(expected)} worked DPAs up to date")
            return
        target.mkdir(exist_ok=True)
        for name, text in expected.items():
            (target / f"{name}.md").write_text(text, encoding="utf-8")
        for name in extra:
            (target / f"{name}.md").unlink()
        self.stdout.write(f"wrote {len(expected)} worked DPAs to {target}")
