"""Markdown: CommonMark with GFM pipe tables, meant to read well as plain text too.

Text in the tree is plain text that may hold anything a user typed, so every character that could
start Markdown structure is neutralised, and nothing else, so that ordinary prose (colons, URLs,
"Smith & Sons") stays readable in the raw file. Backslash escapes are used where both CommonMark
and Python-Markdown honour them; for the few characters Python-Markdown does not unescape (`<`,
`&`, `~`) an HTML character reference is used instead, which every Markdown dialect decodes to the
same character and none treats as structure:

- anywhere: `\\`, `` ` ``, `*`, `_`, `[`, `]`, `{`, `}`, `#` and `|` are backslash-escaped (code,
  emphasis, links and images, attribute lists, headings, table cells);
- `<` is always `&lt;`: after `\\<` Python-Markdown would still pass a following tag through, and
  no autolink (`<https://...>`) can open from typed text.
- `&` becomes `&amp;` only where it could begin a character reference, so "Smith & Sons" stays.
- whitespace runs, newlines included, fold to one space: every block is one line, so no typed
  text can start a line (no setext underline, no indented code, no table delimiter row); only the
  start of each block is left, where a list marker, `>` or `1.` is escaped (`line_start`).

Links: a validated http(s) URL shown as itself is an autolink (`<https://...>`), any other library
link `[label](https://...)`, and a link to a section `[label](#slug)`, where the slug is the id
that GitHub, GitLab and Python-Markdown's toc extension give the heading (`heading_slugs`), so
the contents list and the summary's links work wherever the file is rendered.
Known limit: GFM's extended autolinks also turn a bare e-mail address, `www.` name or `https://`
address typed in free text into a link; no escape that Python-Markdown also honours prevents it
(only character references, which made the raw file unreadable), and such a link always shows
its own target, so it cannot disguise where it leads. In CommonMark they stay text.
"""
import re

import unicodedata
from collections.abc import Iterable

from generator.document import (
    Block, BulletList, Heading, Inlines, Link, Paragraph, PolicyDocument, Section, Table, Text, summary_and_rest,
)

from .common import labels, last_updated_line, merge_runs, resolve_anchors

_SPECIAL = re.compile(r"[\\`*_{}\[\]#|]|<|~|&(?=[A-Za-z0-9#])")
_REFERENCES = {"<": "&lt;", "~": "&#126;", "&": "&amp;"}
# An autolink's destination may hold no space, control character or angle bracket; a `|` would
# end a table cell, so it is percent-encoded (the same URL).
_AUTOLINKABLE = re.compile(r"^https?://[^\s<>\x00-\x1f\x7f]+$", re.IGNORECASE)
# What would open a block at the start of a line: a bullet or quote marker, or an ordered-list number.
_LINE_START = re.compile(r"^([-+>]|\d{1,9}(?=[.)]))")
_WS = re.compile(r"\s+")
_SAFE_SCHEMES = ("https://", "http://", "mailto:")


def _neutralise(match: re.Match[str]) -> str:
    char = match.group()
    return _REFERENCES.get(char) or "\\" + char


def escape(text: str, pattern: re.Pattern[str] = _SPECIAL) -> str:
    """Plain text as Markdown that renders back to exactly that text (whitespace folded)."""
    return pattern.sub(_neutralise, _WS.sub(" ", text))


def line_start(text: str) -> str:
    """Escape what would make the start of a line a list item or a quote ("- x", "> x", "1. x")."""
    match = _LINE_START.match(text)
    if not match:
        return text
    if match.group(1)[0].isdigit():
        end = match.end()
        return text[:end] + "\\" + text[end:]
    return "\\" + text


def _href(href: str) -> str:
    """A library href made safe as a link destination: no spaces, brackets or angle brackets."""
    for char, code in ((" ", "%20"), ("(", "%28"), (")", "%29"), ("<", "%3C"), (">", "%3E"), ("|", "%7C")):
        href = href.replace(char, code)
    return href


def _strong(text: str) -> str:
    """Bold, with any outer spaces kept outside the delimiters so CommonMark still sees `**`."""
    core = text.strip()
    if not core:
        return text
    lead = " " if text[:1].isspace() else ""
    trail = " " if text[-1:].isspace() else ""
    return f"{lead}**{core}**{trail}"


def _link(inline: Link, slugs: dict[str, str] | None) -> str:
    href, text = inline.href, inline.text or inline.href
    if inline.internal:
        slug = (slugs or {}).get(href[1:])
        return f"[{escape(text)}](#{slug})" if slug else escape(text)
    if not href.lower().startswith(_SAFE_SCHEMES):
        return escape(text)
    if text == href and _AUTOLINKABLE.match(href):
        return f"<{href.replace('|', '%7C')}>"
    return f"[{escape(text)}]({_href(href)})"


def inlines(run: Inlines, slugs: dict[str, str] | None = None) -> str:
    """A run of inlines as one line of Markdown; `slugs` maps document anchors to heading ids."""
    parts: list[str] = []
    for inline in merge_runs(run):
        if isinstance(inline, Link):
            parts.append(_link(inline, slugs))
        elif isinstance(inline, Text):
            text = escape(inline.text)
            parts.append(_strong(text) if inline.strong else text)
        else:
            raise TypeError(inline)
    return _WS.sub(" ", "".join(parts)).strip()


def _table(table: Table, slugs: dict[str, str] | None = None) -> str:
    width = len(table.columns)
    lines: list[str] = []
    if table.caption:
        lines += [f"**{escape(table.caption)}**", ""]
    lines.append("| " + " | ".join(escape(c) or " " for c in table.columns) + " |")
    lines.append("|" + "|".join(" --- " for _ in range(width)) + "|")
    for row in table.rows:
        cells = [inlines(cell, slugs) for cell in row][:width]
        cells += [""] * (width - len(cells))
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def block(node: Block, slugs: dict[str, str] | None = None) -> str:
    if isinstance(node, Paragraph):
        return line_start(inlines(node.inlines, slugs))
    if isinstance(node, BulletList):
        return "\n".join(f"- {line_start(inlines(item, slugs))}" for item in node.items)
    if isinstance(node, Table):
        return _table(node, slugs)
    if isinstance(node, Heading):
        return f"### {escape(node.text).strip()}"
    raise TypeError(node)


_SLUG_DROP = re.compile(r"[^\w\- ]", re.UNICODE)


def slug(text: str) -> str:
    """A heading's id as GitHub (github-slugger) and GitLab make it: lower case, punctuation
    dropped, spaces to hyphens. For plain titles Python-Markdown's toc extension agrees."""
    text = unicodedata.normalize("NFKC", text).lower().strip()
    return _SLUG_DROP.sub("", text).replace(" ", "-")


def heading_slugs(document: PolicyDocument) -> dict[str, str]:
    """{document anchor: Markdown heading id} for every section and sub-heading, numbered like
    GitHub does when two headings share a slug ("-1", "-2" in document order)."""
    section_anchors, heading_anchors = resolve_anchors(document)
    seen: dict[str, int] = {}
    out: dict[str, str] = {}

    def unique(text: str) -> str:
        base = slug(text)
        count = seen.get(base, 0)
        seen[base] = count + 1
        return base if count == 0 else f"{base}-{count}"

    unique(document.title)
    for s_index, section in enumerate(document.sections):  # the order the file prints them in
        out[section_anchors[s_index]] = unique(section.title)
        for b_index, node in enumerate(section.blocks):
            if isinstance(node, Heading):
                out[heading_anchors[(s_index, b_index)]] = unique(node.text)
    return out


def contents(document: PolicyDocument, slugs: dict[str, str], sections: Iterable[Section]) -> str:
    """The linked table of contents: one item per section (not a heading, so the outline of
    the file stays the policy's own)."""
    section_anchors, _ = resolve_anchors(document)
    index = {id(s): i for i, s in enumerate(document.sections)}
    items = [
        f"- [{escape(s.title).strip()}](#{slugs[section_anchors[index[id(s)]]]})" for s in sections
    ]
    return f"**{escape(labels(document.language)['contents'])}**\n\n" + "\n".join(items)


def _section(section: Section, slugs: dict[str, str]) -> list[str]:
    parts = [f"## {escape(section.title).strip()}"]
    parts.extend(b for b in (block(node, slugs) for node in section.blocks) if b)
    return parts


def render_markdown(document: PolicyDocument, *, toc: bool = True) -> str:
    slugs = heading_slugs(document)
    parts = [f"# {escape(document.title).strip()}", line_start(escape(last_updated_line(document)))]
    summary, rest = summary_and_rest(document)
    if summary:
        parts += _section(summary, slugs)
    if toc and len(rest) > 1:  # a single section needs no contents list
        parts.append(contents(document, slugs, rest))
    for section in rest:
        parts += _section(section, slugs)
    return "\n\n".join(parts) + "\n"
