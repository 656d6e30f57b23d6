"""What day it is for the public side: which version is in force, and when a notice period ends.

One function so tests (and an operator checking a future date) can move the clock through the
HOSTPOLICY_TODAY setting instead of patching datetime.
"""
import datetime

from django.conf import settings
from django.utils import timezone


def today() -> datetime.date:
    fixed = getattr(settings, "HOSTPOLICY_TODAY", "")
    if fixed:
        return fixed if isinstance(fixed, datetime.date) else datetime.date.fromisoformat(fixed)
    return timezone.localdate()
