"""The answers-file argument the policy commands share."""
import sys

from generator.answers import load_answers_file


def load_answers_or_exit(command, path):
    """The typed answers in `path`; when it is invalid, each error goes to stderr and the command
    exits 1, as the README promises for a bad answers file."""
    result = load_answers_file(path)
    if not result.ok:
        for error in result.errors:
            command.stderr.write(str(error))
        sys.exit(1)
    return result.answers
