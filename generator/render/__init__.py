"""Renderers: one PolicyDocument in, Markdown, an HTML page, an HTML snippet, PDF or JSON out.

Each renderer only walks the tree (generator.document) and escapes its text for its format; none
holds policy wording, so every format says the same thing. `render()` is the one entry point the
views and commands need.
"""
import json

from generator.document import PolicyDocument, to_json_dict

from .common import RENDERER_VERSION, resolve_anchors
from .formats import BY_ID, FORMAT_IDS, OUTPUT_FORMATS, OutputFormat, get_format

__all__ = ["BY_ID", "FORMAT_IDS", "OUTPUT_FORMATS", "OutputFormat", "RENDERER_VERSION", "get_format", "render_json", "render"]


def render_json(document: PolicyDocument) -> str:
    """The tree as JSON, with the anchors every other format uses filled in."""
    data = to_json_dict(document)
    section_anchors, heading_anchors = resolve_anchors(document)
    for s_index, section in enumerate(data["sections"]):
        section["anchor"] = section_anchors[s_index]
        for b_index, block in enumerate(section["blocks"]):
            if block["type"] == "heading":
                block["anchor"] = heading_anchors[(s_index, b_index)]
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def render(document: PolicyDocument, fmt: str, **options: bool) -> str | bytes:
    """Render `document` as `fmt` (an id of OUTPUT_FORMATS): str, or bytes for "pdf". ValueError for
    an unknown format.

    Options: html `toc=True`; snippet `scoped_styles=False`, `toc=True`, `title=True`;
    pdf `cache=True` (serve an unchanged policy from HOSTPOLICY_CACHE_DIR).
    """
    return get_format(fmt).render(document, **options)
