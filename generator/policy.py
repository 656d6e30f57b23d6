"""The one entry point from answers to a policy document, used by the CLI, the wizard and tests."""
from datetime import date

from generator.answers.model import Answers
from generator.document import PolicyDocument

from generator.assembly import assemble
from generator.library import Catalogues, Library, get_catalogues, get_library


def build(answers: Answers, today: date | None = None, library: Library | None = None,
          catalogues: Catalogues | None = None) -> PolicyDocument:
    """Answers -> PolicyDocument. `today` is the generation date (defaults to the real today)."""
    return assemble(
        answers,
        library or get_library(),
        catalogues or get_catalogues(),
        today or date.today(),
    )
