"""Markdown: CommonMark with GFM pipe tables, meant to read well as plain text too.

Text in the tree is plain text that may hold anything a user typed, so every character that could
start Markdown structure is neutralised, and nothing else, so that ordinary prose stays readable.
Backslash escapes are used where both CommonMark and Python-Markdown honour them; for the few
characters Python-Markdown does not unescape (`<`, `&`, `~`, `:`) an HTML character reference is
used instead, which every Markdown dialect decodes to the same character and none treats as
structure:

- anywhere: `\\`, `` ` ``, `*`, `_`, `[`, `]`, `{`, `}`, `#` and `|` are backslash-escaped (code,
  emphasis, links and images, attribute lists, headings, table cells);
- `<` is always `&lt;`: after `\\<` Python-Markdown would still pass a following tag through.
- `&` becomes `&amp;` only where it could begin a character reference, so "Smith & Sons" stays.
- `:` becomes `&#58;` after a letter or digit and before a non-space, which stops GFM's extended
  autolinks (`https://...`, `mailto:`); `www.` becomes `www\\.` for the same reason.
- whitespace runs, newlines included, fold to one space: every block is one line, so no typed
  text can start a line (no setext underline, no indented code, no table delimiter row); only the
  start of each block is left, where a list marker, `>` or `1.` is escaped (`line_start`).

Links come from the library, never from answers, and are the only Markdown links written.
Known limit: GFM also turns a bare e-mail address into a mailto link inside any text node, and
no escape prevents it short of invisible characters; the link then shows its own target.
"""
import re

from generator.document import BulletList, Heading, Link, Paragraph, Table, Text

from .common import last_updated_line

_STRUCTURE = r"[\\`*_{}\[\]#|]|<|~|&(?=[A-Za-z0-9#])"
_SPECIAL = re.compile(_STRUCTURE + r"|(?<=[A-Za-z0-9]):(?=\S)|(?<![A-Za-z0-9])www\.")
# Inside a link's label no autolink can form (links do not nest), so a URL shown as the label of
# its own link keeps its colon and dots.
_SPECIAL_IN_LABEL = re.compile(_STRUCTURE)
_REFERENCES = {"<": "&lt;", "~": "&#126;", "&": "&amp;", ":": "&#58;", "www.": "www\\."}
# What would open a block at the start of a line: a bullet or quote marker, or an ordered-list number.
_LINE_START = re.compile(r"^([-+>]|\d{1,9}(?=[.)]))")
_WS = re.compile(r"\s+")
_SAFE_SCHEMES = ("https://", "http://", "mailto:")


def _neutralise(match):
    char = match.group()
    return _REFERENCES.get(char) or "\\" + char


def escape(text, pattern=_SPECIAL):
    """Plain text as Markdown that renders back to exactly that text (whitespace folded)."""
    return pattern.sub(_neutralise, _WS.sub(" ", text))


def line_start(text):
    """Escape what would make the start of a line a list item or a quote ("- x", "> x", "1. x")."""
    match = _LINE_START.match(text)
    if not match:
        return text
    if match.group(1)[0].isdigit():
        end = match.end()
        return text[:end] + "\\" + text[end:]
    return "\\" + text


def _href(href):
    """A library href made safe as a link destination: no spaces, brackets or angle brackets."""
    for char, code in ((" ", "%20"), ("(", "%28"), (")", "%29"), ("<", "%3C"), (">", "%3E"), ("|", "%7C")):
        href = href.replace(char, code)
    return href


def _strong(text):
    """Bold, with any outer spaces kept outside the delimiters so CommonMark still sees `**`."""
    core = text.strip()
    if not core:
        return text
    lead = " " if text[:1].isspace() else ""
    trail = " " if text[-1:].isspace() else ""
    return f"{lead}**{core}**{trail}"


def inlines(run):
    parts = []
    for inline in run:
        if isinstance(inline, Link):
            if inline.href.lower().startswith(_SAFE_SCHEMES):
                label = escape(inline.text or inline.href, _SPECIAL_IN_LABEL)
                parts.append(f"[{label}]({_href(inline.href)})")
            else:
                parts.append(escape(inline.text or inline.href))
        elif isinstance(inline, Text):
            text = escape(inline.text)
            parts.append(_strong(text) if inline.strong else text)
        else:
            raise TypeError(inline)
    return _WS.sub(" ", "".join(parts)).strip()


def _table(table):
    width = len(table.columns)
    lines = []
    if table.caption:
        lines += [f"**{escape(table.caption)}**", ""]
    lines.append("| " + " | ".join(escape(c) or " " for c in table.columns) + " |")
    lines.append("|" + "|".join(" --- " for _ in range(width)) + "|")
    for row in table.rows:
        cells = [inlines(cell) for cell in row][:width]
        cells += [""] * (width - len(cells))
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def block(node):
    if isinstance(node, Paragraph):
        return line_start(inlines(node.inlines))
    if isinstance(node, BulletList):
        return "\n".join(f"- {line_start(inlines(item))}" for item in node.items)
    if isinstance(node, Table):
        return _table(node)
    if isinstance(node, Heading):
        return f"### {escape(node.text).strip()}"
    raise TypeError(node)


def render_markdown(document):
    parts = [f"# {escape(document.title).strip()}", line_start(escape(last_updated_line(document)))]
    for section in document.sections:
        parts.append(f"## {escape(section.title).strip()}")
        parts.extend(b for b in (block(node) for node in section.blocks) if b)
    return "\n\n".join(parts) + "\n"
