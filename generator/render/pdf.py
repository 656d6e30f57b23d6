"""PDF through WeasyPrint: the sanitised policy body, print CSS, bundled fonts, nothing else.

The HTML is the same sanitised body as the page, with a title block, a contents list whose page
numbers come from `target-counter()`, and running header and footer built with `string-set` from
elements of the document (so the business name reaches the page margins as text, never as CSS
source). WeasyPrint loads resources only through StaticOnlyFetcher. Rendering is the slow part,
so finished PDFs are cached on disk under a hash of everything that determines their bytes.
"""
import gc
import hashlib
import logging
import os
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from html import escape
from pathlib import Path
from typing import Any

import weasyprint
from weasyprint.text.fonts import FontConfiguration

from generator.document import PolicyDocument

from . import html as html_renderer
from .common import RENDERER_VERSION, labels, static_text
from .fetcher import StaticOnlyFetcher

logger = logging.getLogger(__name__)

PAPER_SIZES = {"a4": "A4", "letter": "letter"}
PDF_VARIANT = "pdf/ua-1"


def _css_string(text: str) -> str:
    """A CSS string literal; labels are ours, but quoting stays correct whatever they hold."""
    out: list[str] = []
    for char in text:
        if char in '"\\' or ord(char) < 32 or ord(char) == 127:
            out.append(f"\\{ord(char):x} ")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def _page_of_content(label: str) -> str:
    """'Page {page} of {pages}' as a CSS content value with counters in place of the fields."""
    parts: list[str] = []
    for piece in re.split(r"(\{page\}|\{pages\})", label):
        if piece == "{page}":
            parts.append("counter(page)")
        elif piece == "{pages}":
            parts.append("counter(pages)")
        elif piece:
            parts.append(_css_string(piece))
    return " ".join(parts)


def pdf_css(document: PolicyDocument) -> str:
    size = PAPER_SIZES.get((document.paper or "").lower(), "A4")
    page_of = _page_of_content(labels(document.language)["page_of"])
    generated = f"@page {{ size: {size}; @bottom-right {{ content: {page_of}; }} }}\n"
    return html_renderer.base_css() + static_text("policy/pdf.css") + generated


def pdf_html(document: PolicyDocument, *, with_toc: bool = True) -> str:
    """The complete HTML WeasyPrint lays out; also the cache key's main input. (`with_toc=False`
    only for make bench, which compares the cost of the contents list.)"""
    def e(text: str) -> str:
        return escape(text, quote=True)

    head = (
        '<meta charset="utf-8">'
        f"<title>{e(document.title)}</title>"
        f'<meta name="author" content="{e(document.legal_name)}">'
        '<meta name="generator" content="HostPolicy">'
        f"{html_renderer.style_element(pdf_css(document))}"
    )
    content = html_renderer.body(document, with_toc=with_toc)
    return f'<!DOCTYPE html><html lang="{e(document.language)}"><head>{head}</head><body>{content}</body></html>'


@contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """Python's cyclic garbage collector paused for one render. WeasyPrint builds hundreds of
    thousands of objects that live until the render ends; the collector's repeated passes over them
    cost a tenth of a render and free almost nothing (make bench; peak memory grew by 4 MB)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def write_pdf(html_string: str) -> bytes:
    """Lay out and write the PDF, tagged as PDF/UA-1 where WeasyPrint accepts it.

    WeasyPrint 70 knows the `pdf/ua-1` variant (tags, language, title shown in the window). Should
    a future version refuse it, fall back to a plainly tagged PDF rather than fail the download.
    """
    identifier = hashlib.sha256(html_string.encode("utf-8")).hexdigest()[:32].encode("ascii")

    def attempt(**options: object) -> bytes:
        document = weasyprint.HTML(string=html_string, base_url=None, url_fetcher=StaticOnlyFetcher())
        return document.write_pdf(font_config=FontConfiguration(), pdf_identifier=identifier, **options)

    with cyclic_gc_paused():
        try:
            return attempt(pdf_variant=PDF_VARIANT)
        except Exception:  # noqa: BLE001 - any variant failure: retry without the variant
            logger.warning("PDF variant %s failed; writing a tagged PDF instead", PDF_VARIANT, exc_info=True)
            return attempt(pdf_tags=True)


def render_pdf(document: PolicyDocument) -> bytes:
    return write_pdf(pdf_html(document))


DEFAULT_CACHE_MAX_FILES = 1000


def _setting(name: str, default: Any) -> Any:
    try:
        from django.conf import settings

        return getattr(settings, name, default)
    except Exception:  # noqa: BLE001 - settings not configured: used outside Django
        return default


def cache_dir() -> Path:
    configured = _setting("HOSTPOLICY_CACHE_DIR", None)
    return Path(configured) if configured else Path(__file__).resolve().parents[2] / "var" / "cache"


def prune_cache(root: str | Path, keep: int) -> None:
    """Delete the least recently used PDFs under `root` beyond the newest `keep`. A hit touches
    its file, so what is still downloaded stays; the cache never grows without bound."""
    entries: list[tuple[float, Path]] = []
    for path in Path(root).glob("*/*.pdf"):
        try:
            entries.append((path.stat().st_mtime, path))
        except FileNotFoundError:  # pruned by a concurrent request
            continue
    entries.sort(reverse=True)
    for _, path in entries[keep:]:
        path.unlink(missing_ok=True)


def cache_key(html_string: str, paper: str | None) -> str:
    digest = hashlib.sha256()
    for part in (RENDERER_VERSION, weasyprint.__version__, paper or "", html_string):
        digest.update(part.encode("utf-8"))
        digest.update(b"\0")
    return digest.hexdigest()


def render_pdf_document(document: PolicyDocument, *, cache: bool = True) -> bytes:
    """The PDF renderer of the formats registry: from the cache unless `cache=False`."""
    return render_pdf_cached(document) if cache else render_pdf(document)


def render_pdf_cached(document: PolicyDocument, directory: str | Path | None = None) -> bytes:
    """The PDF from the cache when this exact HTML was rendered before, else rendered and stored."""
    html_string = pdf_html(document)
    key = cache_key(html_string, document.paper)
    root = Path(directory or cache_dir()) / "pdf"
    path = root / key[:2] / f"{key}.pdf"
    data = cache_read(path)
    if data is not None:
        return data
    data = write_pdf(html_string)
    cache_write(root, path, data)
    return data


def cache_path(document: PolicyDocument, directory: str | Path | None = None) -> tuple[Path, Path]:
    """(cache root, path of this document's PDF in it)."""
    key = cache_key(pdf_html(document), document.paper)
    root = Path(directory or cache_dir()) / "pdf"
    return root, root / key[:2] / f"{key}.pdf"


def cache_usable(root: Path) -> bool:
    """Whether PDFs can be stored under `root` (created if missing); a failure is logged."""
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError:
        logger.warning("the PDF cache directory %s cannot be used", root, exc_info=True)
        return False
    if not (root.is_dir() and os.access(root, os.W_OK)):
        logger.warning("the PDF cache directory %s is not a writable directory", root)
        return False
    return True


def cache_read(path: Path) -> bytes | None:
    """The cached PDF at `path`, or None. Any cache failure (the path is not a directory, no
    permission, a disk error) is logged and counts as a miss: the PDF is rendered instead."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError:
        logger.warning("could not read PDF cache entry %s; rendering instead", path, exc_info=True)
        return None
    try:
        os.utime(path)  # recently used: keep it when pruning
    except OSError:
        pass
    return data


def cache_write(root: Path, path: Path, data: bytes) -> bool:
    """Store a rendered PDF and prune the cache; a failure is logged, never raised."""
    try:
        _store(path, data)
        prune_cache(root, int(_setting("HOSTPOLICY_PDF_CACHE_MAX_FILES", DEFAULT_CACHE_MAX_FILES)))
    except OSError:
        logger.warning("could not write PDF cache entry %s", path, exc_info=True)
        return False
    return True


def _store(path: Path, data: bytes) -> None:
    """Write atomically: a concurrent reader sees the whole file or none."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
