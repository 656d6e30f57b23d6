"""What changed in the wording of a policy between two versions.

Published versions keep their answers, not their text, so a business that swaps a processor next
year compares the two documents built from them: section by section, line by line, where a line is
a paragraph, a list item or a table row. Compared as plain text, so a change of wording shows but
a change of renderer does not.
"""
import difflib
from dataclasses import dataclass

from generator.document import PolicyDocument, Section, block_lines


@dataclass(frozen=True)
class SectionChange:
    title: str
    kind: str  # added | removed | changed
    lines: tuple[tuple[str, str], ...]  # (mark, text): mark '-' for removed, '+' for added


def _lines(section: Section) -> list[str]:
    return [line for block in section.blocks for line in block_lines(block)]


def policy_changes(old: PolicyDocument, new: PolicyDocument) -> list[SectionChange]:
    """[SectionChange] from document `old` to document `new`, in the order of `new` (removed
    sections last). Unchanged sections and lines are left out."""
    old_sections = {s.id: s for s in old.sections}
    new_ids = {s.id for s in new.sections}
    changes: list[SectionChange] = []
    for section in new.sections:
        before = old_sections.get(section.id)
        after_lines = _lines(section)
        if before is None:
            changes.append(SectionChange(section.title, "added", tuple(("+", line) for line in after_lines)))
            continue
        before_lines = _lines(before)
        if before_lines == after_lines:
            continue
        lines: list[tuple[str, str]] = []
        matcher = difflib.SequenceMatcher(a=before_lines, b=after_lines, autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag in ("replace", "delete"):
                lines.extend(("-", line) for line in before_lines[i1:i2])
            if tag in ("replace", "insert"):
                lines.extend(("+", line) for line in after_lines[j1:j2])
        changes.append(SectionChange(section.title, "changed", tuple(lines)))
    for section in old.sections:
        if section.id not in new_ids:
            changes.append(SectionChange(section.title, "removed", tuple(("-", line) for line in _lines(section))))
    return changes
