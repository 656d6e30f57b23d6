"""The output formats: one registry that the URL converter, the download lists, the CLI's
`--format` and `render()` all read. Adding a format is one entry here and its renderer."""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.module_loading import import_string

if TYPE_CHECKING:
    from generator.document import PolicyDocument

DOCUMENT_STEM = "privacy-policy"  # file names: privacy-policy.pdf, privacy-policy-snippet.html ...


@dataclass(frozen=True)
class OutputFormat:
    id: str            # in URLs (/download/<id>/) and on the command line (--format <id>)
    label: str         # shown in download lists
    file_suffix: str   # appended to the document's file stem
    content_type: str
    renderer: str      # dotted path of `f(document, **options)`; imported on first use (WeasyPrint is slow to import)
    # Slow to make: the web serves it from the cache or queues it for the task worker (generator.tasks),
    # so its link may first answer with a page that waits for it.
    queued: bool = False

    def filename(self, stem: str = DOCUMENT_STEM) -> str:
        return f"{stem}{self.file_suffix}"

    def render(self, document: PolicyDocument, **options: bool) -> str | bytes:
        return import_string(self.renderer)(document, **options)


# In the order download lists show them.
OUTPUT_FORMATS = (
    OutputFormat("pdf", "PDF", ".pdf", "application/pdf", "generator.render.pdf.render_pdf_document", queued=True),
    OutputFormat("html", "Web page (HTML)", ".html", "text/html; charset=utf-8", "generator.render.html.render_page"),
    OutputFormat("markdown", "Markdown", ".md", "text/markdown; charset=utf-8", "generator.render.markdown.render_markdown"),
    OutputFormat("snippet", "HTML snippet", "-snippet.html", "text/html; charset=utf-8", "generator.render.html.render_snippet"),
    OutputFormat("json", "JSON", ".json", "application/json", "generator.render.render_json"),
)

BY_ID = {fmt.id: fmt for fmt in OUTPUT_FORMATS}
FORMAT_IDS = tuple(BY_ID)


def get_format(fmt_id: str) -> OutputFormat:
    """The OutputFormat called `fmt_id`; ValueError naming the known ones if there is none."""
    try:
        return BY_ID[fmt_id]
    except KeyError:
        raise ValueError(f"unknown format {fmt_id!r}; expected one of {', '.join(FORMAT_IDS)}") from None
