"""Secret links never reach a log: a draft's token is its only key, so a log line holding
`/d/<token>/` would hand the draft to whoever reads the log; a subscription's confirm and
unsubscribe links are redacted the same way.

`RedactTokens` is a logging filter (installed on every handler in settings.LOGGING) that replaces
the token in a record's message and arguments; `RedactingGunicornLogger` does the same for
gunicorn's access log (gunicorn.conf.py selects it), whatever access-log format is configured.
"""
import logging
import re
from typing import Any

TOKEN_IN_PATH = re.compile(r"(/d/)[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])")
# The signed links of a subscription (generator.public): whoever holds one can confirm or end it.
SUBSCRIPTION_LINK = re.compile(r"(/p/[a-z0-9-]+/(?:subscribe/confirm|unsubscribe)/)[^/\s\"?]+")
REDACTED = r"\1<redacted>"


def redact(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    return SUBSCRIPTION_LINK.sub(REDACTED, TOKEN_IN_PATH.sub(REDACTED, value))


class RedactTokens(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
        elif isinstance(record.args, dict):
            record.args = {k: redact(v) for k, v in record.args.items()}
        return True


try:
    from gunicorn.glogging import Logger as _GunicornLogger
except ImportError:  # gunicorn is only needed in production
    _GunicornLogger = None

if _GunicornLogger is not None:

    class RedactingGunicornLogger(_GunicornLogger):
        def atoms(self, resp: Any, req: Any, environ: dict[str, Any], request_time: Any) -> dict[str, Any]:
            atoms = super().atoms(resp, req, environ, request_time)
            return {key: redact(value) for key, value in atoms.items()}

        def error(self, msg: str, *args: Any, **kwargs: Any) -> None:
            super().error(redact(msg), *[redact(a) for a in args], **kwargs)
