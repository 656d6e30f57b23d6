"""Renderers: one PolicyDocument in, Markdown, an HTML page, an HTML snippet, PDF or JSON out.

Each renderer only walks the tree (generator.document) and escapes its text for its format; none
holds policy wording, so every format says the same thing. `render()` is the one entry point the
views and commands need.
"""
import json

from generator.document import to_json_dict

from .common import RENDERER_VERSION, resolve_anchors
from .html import render_page, render_snippet
from .markdown import render_markdown

FORMATS = ("markdown", "html", "snippet", "pdf", "json")

CONTENT_TYPES = {
    "markdown": "text/markdown; charset=utf-8",
    "html": "text/html; charset=utf-8",
    "snippet": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "json": "application/json",
}

EXTENSIONS = {
    "markdown": "md",
    "html": "html",
    "snippet": "snippet.html",
    "pdf": "pdf",
    "json": "json",
}

__all__ = ["CONTENT_TYPES", "EXTENSIONS", "FORMATS", "RENDERER_VERSION", "render", "render_json"]


def render_json(document):
    """The tree as JSON, with the anchors every other format uses filled in."""
    data = to_json_dict(document)
    section_anchors, heading_anchors = resolve_anchors(document)
    for s_index, section in enumerate(data["sections"]):
        section["anchor"] = section_anchors[s_index]
        for b_index, block in enumerate(section["blocks"]):
            if block["type"] == "heading":
                block["anchor"] = heading_anchors[(s_index, b_index)]
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def render(document, fmt, **options):
    """Render `document` as `fmt` (one of FORMATS): str, or bytes for "pdf".

    Options: html `toc=True`; snippet `scoped_styles=False`, `toc=True`, `title=True`;
    pdf `cache=True` (serve an unchanged policy from HOSTPOLICY_CACHE_DIR).
    """
    if fmt == "markdown":
        return render_markdown(document, **options)
    if fmt == "html":
        return render_page(document, **options)
    if fmt == "snippet":
        return render_snippet(document, **options)
    if fmt == "pdf":
        from .pdf import render_pdf, render_pdf_cached  # WeasyPrint is slow to import: only when needed

        cached = options.pop("cache", True)
        return render_pdf_cached(document, **options) if cached else render_pdf(document, **options)
    if fmt == "json":
        return render_json(document, **options)
    raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
