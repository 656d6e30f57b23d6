"""HTML: a self-contained policy page and an embeddable snippet, from one body builder.

Every text is escaped as it is written, and the finished markup then goes through nh3 with an
explicit allow-list, so even a bug in the builder cannot let a tag, an event handler, a style
attribute or a `javascript:` link through. Our own stylesheet is added after sanitising (nh3
would drop it) and comes from static/policy/, never from the document. Every block carries
`data-clause` so a sentence on a live site can be traced back to the clause library.
"""
import base64
import hashlib
from collections.abc import Iterable
from html import escape

import nh3
from django.utils.text import slugify

from generator.document import (
    Block, BulletList, Heading, Inlines, Link, Paragraph, PolicyDocument, Table, Text, summary_and_rest,
)

from .common import HeadingAnchors, SectionAnchors, labels, merge_runs, resolve_anchors, static_text

ALLOWED_TAGS = {
    "section", "header", "nav", "div", "h1", "h2", "h3", "p", "ul", "ol", "li", "strong", "a",
    "time", "table", "caption", "thead", "tbody", "tr", "th", "td",
}
ALLOWED_ATTRIBUTES = {
    "*": {"class", "id", "data-clause"},
    "a": {"href"},
    "section": {"data-section", "lang"},
    "nav": {"aria-label"},
    "th": {"scope"},
    "time": {"datetime"},
}
URL_SCHEMES = {"https", "http", "mailto"}
# Links lead to the library's sources, the catalogue's privacy policies or the business's own
# validated URLs: none is an endorsement (nofollow), none may reach back into the page (noopener),
# and none learns where the reader came from (noreferrer).
LINK_REL = "nofollow noopener noreferrer"

ROOT_CLASS = "hp-privacy-policy"


def sanitize(fragment: str) -> str:
    """The final safety net: only the allow-listed tags, attributes and URL schemes survive."""
    return nh3.clean(
        fragment,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=LINK_REL,
        strip_comments=True,
    )


def _e(text: str) -> str:
    return escape(text, quote=True)


def inlines(run: Inlines) -> str:
    out: list[str] = []
    for inline in merge_runs(run):
        if isinstance(inline, Link):
            out.append(f'<a href="{_e(inline.href)}">{_e(inline.text or inline.href)}</a>')
        elif isinstance(inline, Text):
            out.append(f"<strong>{_e(inline.text)}</strong>" if inline.strong else _e(inline.text))
        else:
            raise TypeError(inline)
    return "".join(out)


def _table(table: Table) -> str:
    kind = slugify(table.kind)
    classes = f"hp-table hp-table--{kind}" if kind else "hp-table"
    head = "".join(f'<th scope="col">{_e(c)}</th>' for c in table.columns)
    body = "".join("<tr>" + "".join(f"<td>{inlines(cell)}</td>" for cell in row) + "</tr>" for row in table.rows)
    caption = f"<caption>{_e(table.caption)}</caption>" if table.caption else ""
    return (
        f'<div class="hp-table-wrap"><table class="{classes}" data-clause="{_e(table.clause)}">{caption}'
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>"
    )


def block(node: Block, anchor: str = "") -> str:
    clause = _e(node.clause)
    if isinstance(node, Paragraph):
        return f'<p class="hp-paragraph" data-clause="{clause}">{inlines(node.inlines)}</p>'
    if isinstance(node, BulletList):
        items = "".join(f"<li>{inlines(item)}</li>" for item in node.items)
        return f'<ul class="hp-list" data-clause="{clause}">{items}</ul>'
    if isinstance(node, Table):
        return _table(node)
    if isinstance(node, Heading):
        return f'<h3 class="hp-heading" id="{_e(anchor)}" data-clause="{clause}">{_e(node.text)}</h3>'
    raise TypeError(node)


def title_block(document: PolicyDocument, *, business: bool = True) -> str:
    parts = ['<header class="hp-title-block">']
    if business:
        parts.append(f'<p class="hp-business">{_e(document.business_name)}</p>')
    parts.append(f'<h1 class="hp-title">{_e(document.title)}</h1>')
    label = _e(labels(document.language)["last_updated"])
    iso = document.effective_date.isoformat()
    parts.append(
        f'<p class="hp-updated">{label}: <time datetime="{iso}">{_e(document.effective_date_text)}</time></p>'
    )
    parts.append("</header>")
    return "".join(parts)


def contents(document: PolicyDocument, section_anchors: SectionAnchors) -> str:
    title = _e(labels(document.language)["contents"])
    summary, _ = summary_and_rest(document)
    items = "".join(
        f'<li class="hp-toc-item"><a class="hp-toc-link" href="#{_e(section_anchors[i])}">{_e(s.title)}</a></li>'
        for i, s in enumerate(document.sections) if s is not summary
    )
    return (
        f'<nav class="hp-toc" aria-label="{title}"><h2 class="hp-toc-title">{title}</h2>'
        f'<ol class="hp-toc-list">{items}</ol></nav>'
    )


def sections(document: PolicyDocument, section_anchors: SectionAnchors, heading_anchors: HeadingAnchors,
             indexes: Iterable[int] | None = None) -> str:
    out: list[str] = []
    for s_index in indexes if indexes is not None else range(len(document.sections)):
        section = document.sections[s_index]
        summary = section is summary_and_rest(document)[0]
        css = "hp-section hp-summary" if summary else "hp-section"
        out.append(
            f'<section class="{css}" id="{_e(section_anchors[s_index])}" data-section="{_e(section.id)}">'
            f'<h2 class="hp-section-title">{_e(section.title)}</h2>'
        )
        for b_index, node in enumerate(section.blocks):
            out.append(block(node, heading_anchors.get((s_index, b_index), "")))
        out.append("</section>")
    return "".join(out)


def body(document: PolicyDocument, *, root_classes: str = ROOT_CLASS, business: bool = True, with_toc: bool = True,
         with_title: bool = True) -> str:
    """The policy as one sanitised `<section>` element: title block, contents, sections."""
    section_anchors, heading_anchors = resolve_anchors(document)
    parts = [f'<section class="{_e(root_classes)}" lang="{_e(document.language)}">']
    if with_title:
        parts.append(title_block(document, business=business))
    summary, _ = summary_and_rest(document)
    first = 1 if summary else 0
    if summary:  # the layered summary comes first, before the contents (GDPR Art. 12(1), WP260)
        parts.append(sections(document, section_anchors, heading_anchors, [0]))
    if with_toc and len(document.sections) > first:
        parts.append(contents(document, section_anchors))
    parts.append(sections(document, section_anchors, heading_anchors, range(first, len(document.sections))))
    parts.append("</section>")
    return sanitize("".join(parts))


def style_element(css: str) -> str:
    """A `<style>` for our own stylesheet; refuses anything that could close the element early."""
    if "</" in css or "<!--" in css:
        raise ValueError("stylesheet must not contain markup")
    return f"<style>\n{css}</style>"


def csp_style_hash(css: str) -> str:
    """The CSP source (`'sha256-...'`) that allows exactly this embedded stylesheet."""
    digest = hashlib.sha256(f"\n{css}".encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def base_css() -> str:
    """Rules shared by the page and the PDF."""
    return static_text("policy/policy.css")


def page_css() -> str:
    return base_css() + static_text("policy/page.css")


def render_page(document: PolicyDocument, *, toc: bool = True) -> str:
    """A complete, self-contained HTML page: no script, no external resource, CSS embedded."""
    head = (
        '<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_e(document.title)}</title>\n"
        f'<meta name="author" content="{_e(document.legal_name)}">\n'
        '<meta name="generator" content="HostPolicy">\n'
        '<meta name="referrer" content="no-referrer">\n'
        f"{style_element(page_css())}\n"
    )
    content = body(document, with_toc=toc)
    return (
        f'<!DOCTYPE html>\n<html lang="{_e(document.language)}">\n<head>\n{head}</head>\n'
        f"<body>\n<main>\n{content}\n</main>\n</body>\n</html>\n"
    )


def render_snippet(document: PolicyDocument, *, scoped_styles: bool = False, toc: bool = True,
                   title: bool = True) -> str:
    """One `<section class="hp-privacy-policy privacy-policy">` to paste into an existing page.

    With scoped_styles=True a `<style>` whose selectors all start with `.hp-privacy-policy` is
    placed first inside the section, so the fragment stays a single element.
    """
    fragment = body(
        document, root_classes=f"{ROOT_CLASS} privacy-policy", business=False, with_toc=toc, with_title=title
    )
    if scoped_styles:
        opening_end = fragment.index(">") + 1
        fragment = fragment[:opening_end] + style_element(static_text("policy/snippet.css")) + fragment[opening_end:]
    return fragment + "\n"
