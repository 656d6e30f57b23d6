"""Renderers: Markdown, HTML page, snippet, PDF and JSON from one hand-made document.

Hostile text must come out as literal text in every format, the PDF renderer must never reach the
network or the disk outside static/, and an unchanged policy must be served from the cache.
"""
import base64
import hashlib
import io
import json
import os
import re
import threading
import urllib.request
from dataclasses import replace
from html.parser import HTMLParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from unittest import mock

import markdown as python_markdown
import pypdf
import pytest
import tinycss2

from generator.document import Heading, Section
from generator.render import FORMAT_IDS, OUTPUT_FORMATS, render
from generator.render import pdf as pdf_renderer
from generator.render.common import STATIC_DIR, resolve_anchors
from generator.render.fetcher import FetchRefused, StaticOnlyFetcher, static_url
from generator.render.markdown import escape as md_escape
from tests.factories import BUSINESS, LEGAL_NAME, PROCESSORS, make_document, payload_document

PAYLOADS = (
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<iframe src=//evil>",
    "[click](http://evil.example)",
    "![i](http://evil.example/x.png)",
    "@import url(http://evil.example/x.css);",
    "file:///etc/passwd",
    "| a | b |",
    "# heading",
    "https://typed.example/path and www.typed.example",
    "**bold** _em_ `code` ~~strike~~ <!-- c --> {#id} \\ AT&T &amp; &copy; 1. x",
    "javascript:alert(1)",
    "- bullet",
    "+ plus",
    "> quote",
    "12. ordered",
    "3) ordered",
    "***",
)
SECTION_ANCHORS = ["who-we-are", "what-we-collect", "sharing", "your-rights", "contact"]


def fold(text):
    return " ".join(text.split())


def squash(text):
    return "".join(text.split())


class Markup(HTMLParser):
    """Collects start tags (with attributes) and the text of an HTML string."""

    def __init__(self, source):
        super().__init__(convert_charrefs=True)
        self.tags, self.text, self.depth, self.roots = [], [], 0, []
        self.feed(source)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if self.depth == 0:
            self.roots.append(tag)
        if tag not in {"meta", "br", "link", "img", "hr", "input"}:
            self.depth += 1

    def handle_endtag(self, tag):
        self.depth -= 1

    def handle_data(self, data):
        self.text.append(data)

    def named(self, name):
        return [attrs for tag, attrs in self.tags if tag == name]

    @property
    def plain(self):
        return fold("".join(self.text))


@pytest.fixture(autouse=True)
def _cache_in_tmp(settings, tmp_path):
    settings.HOSTPOLICY_CACHE_DIR = tmp_path / "cache"


@pytest.fixture(scope="module")
def document():
    return make_document()


@pytest.fixture(scope="module")
def pdf_bytes(document):
    return pdf_renderer.render_pdf(document)


@pytest.fixture(scope="module")
def pdf_reader(pdf_bytes):
    return pypdf.PdfReader(io.BytesIO(pdf_bytes))


@pytest.fixture(scope="module")
def pdf_text(pdf_reader):
    return "\n".join(page.extract_text() for page in pdf_reader.pages)


# --- the entry point ---------------------------------------------------------------------------

def test_every_registered_format_renders_with_its_own_name_and_type(document):
    assert FORMAT_IDS == ("pdf", "html", "markdown", "snippet", "json")
    filenames = {output.filename() for output in OUTPUT_FORMATS}
    assert len(filenames) == len(OUTPUT_FORMATS)  # no two downloads overwrite each other
    for output in OUTPUT_FORMATS:
        if output.queued:
            assert output.content_type == "application/pdf"
            assert render(document, output.id, cache=False).startswith(b"%PDF-")
        else:
            assert isinstance(render(document, output.id), str)


def test_unknown_format_is_refused(document):
    with pytest.raises(ValueError):
        render(document, "docx")


# --- anchors and JSON --------------------------------------------------------------------------

def test_anchors_keep_valid_ones_and_slug_the_rest(document):
    sections, headings = resolve_anchors(document)
    assert [sections[i] for i in range(len(document.sections))] == SECTION_ANCHORS
    assert sorted(headings.values()) == ["information-collected-automatically", "information-you-give-us"]


def test_anchors_are_unique_and_safe():
    sections = (
        Section(id="a", title="Same", blocks=(Heading("Same", "c.h"),), anchor="x y <b>"),
        Section(id="a", title="Same", blocks=(Heading("Same", "c.h"), Heading("Same", "c.h")), anchor=""),
        Section(id="", title="Ünïcode only ✓", blocks=(), anchor=""),
    )
    sections_map, headings = resolve_anchors(make_document(sections=sections))
    anchors = list(sections_map.values()) + list(headings.values())
    assert len(anchors) == len(set(anchors))
    assert all(re.fullmatch(r"[A-Za-z][A-Za-z0-9_-]*", a) for a in anchors)
    assert sections_map[0] == "x-y-b"


def test_json_round_trips_the_tree_with_anchors(document):
    data = json.loads(render(document, "json"))
    assert data["format"] == "hostpolicy-document/1"
    assert data["business_name"] == BUSINESS
    assert [s["anchor"] for s in data["sections"]] == SECTION_ANCHORS
    table = data["sections"][2]["blocks"][1]
    assert table["type"] == "table" and len(table["rows"]) == len(PROCESSORS)


# --- Markdown ----------------------------------------------------------------------------------

def test_markdown_structure(document):
    text = render(document, "markdown")
    lines = text.splitlines()
    assert lines[0] == "# Privacy Policy"
    assert "Last updated: 23 November 2026" in lines
    assert [line[3:] for line in lines if line.startswith("## ")] == [s.title for s in document.sections]
    assert "### Information you give us" in lines
    assert "- **Account details**: name, email address, phone number and postal address." in lines
    assert "[Information Commissioner's Office](https://ico.org.uk/make-a-complaint/)" in text


def test_markdown_table_shape(document):
    rows = [line for line in render(document, "markdown").splitlines() if line.startswith("|")]
    assert len(rows) == 2 + len(PROCESSORS)
    assert rows[0] == "| Provider | What they do for us | Where | Their privacy policy |"
    assert rows[1] == "| --- | --- | --- | --- |"
    for row in rows:
        assert len(re.split(r"(?<!\\)\|", row)) == 4 + 2  # four cells between outer pipes
    assert rows[2] == (
        "| **Stripe** | card and wallet payments, and fraud screening of payments | Ireland "
        "| [Privacy policy](https://stripe.com/privacy) |"
    )


def test_markdown_renders_as_gfm_table_in_python_markdown(document):
    html = python_markdown.markdown(render(document, "markdown"), extensions=["tables"])
    markup = Markup(html)
    assert len(markup.named("h1")) == 1 and len(markup.named("h2")) == len(document.sections)
    assert len(markup.named("tr")) == 1 + len(PROCESSORS)
    assert {"href": "https://stripe.com/privacy"} in markup.named("a")


def test_markdown_cells_escape_pipes_and_fold_newlines():
    assert md_escape("a | b\nc") == "a \\| b c"


def test_markdown_typed_url_is_not_a_link():
    escaped = md_escape("see https://typed.example and www.typed.example, mail me")
    # readable in the raw file (no `&#58;`, no `www\\.`), and still no link in CommonMark
    assert escaped == "see https://typed.example and www.typed.example, mail me"
    html = python_markdown.markdown(escaped, extensions=["tables"])
    assert "<a" not in html
    assert Markup(html).plain == "see https://typed.example and www.typed.example, mail me"


def test_markdown_keeps_plain_ampersands_and_colons_readable():
    assert md_escape("Smith & Sons: hosting") == "Smith & Sons: hosting"


def test_markdown_link_labelled_with_its_url_reads_plainly():
    from generator.document import Link, Text
    from generator.render.markdown import inlines

    run = (Text("See www.typed.example or "), Link("https://www.example.com/privacy_policy", "https://www.example.com/privacy_policy"))
    out = inlines(run)
    assert out == "See www.typed.example or <https://www.example.com/privacy_policy>"
    html = python_markdown.markdown(out)
    assert Markup(html).named("a") == [{"href": "https://www.example.com/privacy_policy"}]
    assert Markup(html).plain == "See www.typed.example or https://www.example.com/privacy_policy"


def test_markdown_prose_is_not_over_escaped():
    prose = 'We keep invoices (for 6 years) because the law says so. Questions? Ask e-mail support - or us!'
    assert md_escape(prose) == prose


# --- HTML page ---------------------------------------------------------------------------------

def test_page_is_complete_and_has_a_toc(document):
    page = render(document, "html")
    assert page.startswith("<!DOCTYPE html>")
    markup = Markup(page)
    assert markup.named("html") == [{"lang": "en"}]
    assert [a["href"] for a in markup.named("a") if "hp-toc-link" in a.get("class", "")] == [
        f"#{anchor}" for anchor in SECTION_ANCHORS
    ]
    ids = {attrs.get("id") for _, attrs in markup.tags}
    assert set(SECTION_ANCHORS) <= ids
    assert "<title>Privacy Policy</title>" in page
    assert {"name": "author", "content": LEGAL_NAME} in markup.named("meta")


def test_page_is_self_contained(document):
    page = render(document, "html")
    markup = Markup(page)
    assert not markup.named("script") and not markup.named("link") and not markup.named("img")
    assert len(markup.named("style")) == 1
    style = page.split("<style>", 1)[1].split("</style>", 1)[0]
    style = re.sub(r"/\*.*?\*/", "", style, flags=re.S)
    for forbidden in ("@import", "url(", "@font-face", "http:", "https:"):
        assert forbidden not in style
    assert "@media print" in style
    assert not any(name.startswith("on") or name == "style" for _, attrs in markup.tags for name in attrs)


def test_csp_hash_matches_the_embedded_style(document):
    from generator.render.html import csp_style_hash, page_css

    page = render(document, "html")
    style = page.split("<style>", 1)[1].split("</style>", 1)[0]
    digest = base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()
    assert csp_style_hash(page_css()) == f"'sha256-{digest}'"


def test_every_block_carries_its_clause(document):
    markup = Markup(render(document, "html"))
    for tag in ("p", "ul", "table", "h3"):
        blocks = [attrs for attrs in markup.named(tag) if attrs.get("class", "").startswith("hp-")]
        blocks = [b for b in blocks if b["class"] not in {"hp-business", "hp-updated"}]
        assert blocks and all(b.get("data-clause") for b in blocks), tag
    assert {"class": "hp-heading", "id": "information-you-give-us", "data-clause": "what_we_collect.account_heading"} \
        in markup.named("h3")


def test_external_links_are_noopener(document):
    links = [a for a in Markup(render(document, "html")).named("a") if a["href"].startswith("http")]
    assert len(links) == len(PROCESSORS) + 1
    assert all(a["rel"] == "nofollow noopener noreferrer" for a in links)


def test_library_link_with_dangerous_scheme_is_dropped():
    from generator.document import Link, Paragraph

    section = Section(id="s", title="S", blocks=(Paragraph((Link("x", "javascript:alert(1)"),), "c.p"),))
    for fmt in ("html", "snippet"):
        assert "javascript:" not in render(make_document(sections=(section,)), fmt)
    assert "javascript" not in render(make_document(sections=(section,)), "markdown").split("## S")[1].replace(
        "javascript&#58;", ""
    )


# --- snippet -----------------------------------------------------------------------------------

def _classes(markup):
    return [c for _, attrs in markup.tags for c in attrs.get("class", "").split()]


def test_snippet_is_one_prefixed_section(document):
    snippet = render(document, "snippet")
    markup = Markup(snippet)
    assert markup.roots == ["section"]
    assert markup.tags[0] == ("section", {"class": "hp-privacy-policy privacy-policy", "lang": "en"})
    assert [c for c in _classes(markup) if not c.startswith("hp-")] == ["privacy-policy"]
    assert not markup.named("script") and not markup.named("style") and not markup.named("link")
    for _, attrs in markup.tags:
        assert not any(name == "style" or name.startswith("on") for name in attrs)
    assert "hp-toc" in _classes(markup)
    assert "hp-business" not in _classes(markup)  # the host page already names the business


def test_snippet_scoped_styles_stay_scoped(document):
    snippet = render(document, "snippet", scoped_styles=True)
    markup = Markup(snippet)
    assert markup.roots == ["section"]
    assert markup.tags[1][0] == "style"
    css = snippet.split("<style>", 1)[1].split("</style>", 1)[0]
    rules = [r for r in tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True)]
    assert rules and all(r.type == "qualified-rule" for r in rules)  # no @import, @font-face, @media
    for rule in rules:
        for selector in tinycss2.serialize(rule.prelude).split(","):
            assert selector.strip().startswith(".hp-privacy-policy"), selector
    assert "url(" not in css


# --- PDF ---------------------------------------------------------------------------------------

def test_pdf_text(pdf_text, pdf_reader, document):
    flat = fold(pdf_text)
    assert BUSINESS in flat
    for section in document.sections:
        assert section.title in flat
    assert "Page 1 of " in flat
    assert f"Page {len(pdf_reader.pages)} of {len(pdf_reader.pages)}" in flat
    assert "Last updated: 23 November 2026" in flat
    for name, purpose, country, _ in PROCESSORS:
        for cell in (name, purpose, country):
            assert squash(cell) in squash(pdf_text), cell


def test_pdf_table_spans_pages_with_repeated_header(pdf_reader):
    pages_with_header = [i for i, page in enumerate(pdf_reader.pages) if "What they do for us" in page.extract_text()]
    assert len(pages_with_header) >= 2


def test_pdf_toc_has_page_numbers(pdf_reader, document):
    first = fold(pdf_reader.pages[0].extract_text())
    for section in document.sections:
        assert re.search(re.escape(section.title) + r" \d+", first), section.title


def test_pdf_metadata(pdf_reader):
    assert pdf_reader.metadata.title == "Privacy Policy"
    assert pdf_reader.metadata.author == LEGAL_NAME
    root = pdf_reader.trailer["/Root"]
    assert root["/Lang"] == "en"
    assert "/StructTreeRoot" in root  # tagged (PDF/UA-1 variant)


def test_pdf_embeds_the_bundled_font(pdf_reader):
    fonts = set()
    for page in pdf_reader.pages:
        for font in page["/Resources"]["/Font"].values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    assert any("HP-Sans" in f for f in fonts), fonts


def test_pdf_falls_back_to_tagged_pdf_when_the_variant_fails(caplog):
    small = make_document(sections=make_document().sections[:1])
    with mock.patch.object(pdf_renderer, "PDF_VARIANT", "pdf/ua-unknown"), caplog.at_level("WARNING"):
        reader = pypdf.PdfReader(io.BytesIO(pdf_renderer.render_pdf(small)))
    assert "writing a tagged PDF instead" in caplog.text
    assert "/StructTreeRoot" in reader.trailer["/Root"]
    assert "Who we are" in reader.pages[1].extract_text()


def test_pdf_paper_size(pdf_reader):
    assert [round(float(v)) for v in pdf_reader.pages[0].mediabox[2:]] == [595, 842]
    letter = pypdf.PdfReader(io.BytesIO(pdf_renderer.render_pdf(make_document(paper="Letter"))))
    assert [round(float(v)) for v in letter.pages[0].mediabox[2:]] == [612, 792]


# --- hostile text, every format ----------------------------------------------------------------

@pytest.fixture(scope="module")
def payload_doc():
    return payload_document(PAYLOADS)


ALLOWED_FROM_MARKDOWN = {"h1", "h2", "h3", "p", "ul", "li", "table", "thead", "tbody", "tr", "th", "td", "strong"}


def test_payloads_are_literal_in_markdown(payload_doc):
    html = python_markdown.markdown(render(payload_doc, "markdown"), extensions=["tables"])
    markup = Markup(html)
    assert {tag for tag, _ in markup.tags} <= ALLOWED_FROM_MARKDOWN
    assert [len(markup.named(h)) for h in ("h1", "h2", "h3")] == [1, 1, 1]
    assert len(markup.named("table")) == 1 and len(markup.named("tr")) == 1 + len(PAYLOADS)
    for payload in PAYLOADS:
        assert fold(payload) in markup.plain, payload


def test_payloads_are_literal_in_html_and_snippet(payload_doc):
    for fmt in ("html", "snippet"):
        markup = Markup(render(payload_doc, fmt))
        tags = {tag for tag, _ in markup.tags}
        assert not tags & {"script", "img", "iframe", "object", "embed", "link", "form", "svg"}, fmt
        assert all(a["href"].startswith("#") for a in markup.named("a")), fmt
        assert len(markup.named("h1")) == 1
        for _, attrs in markup.tags:
            assert not any(name == "style" or name.startswith("on") or name == "src" for name in attrs)
        for payload in PAYLOADS:
            assert fold(payload) in markup.plain, (fmt, payload)


def test_payloads_are_literal_in_json(payload_doc):
    data = json.loads(render(payload_doc, "json"))
    texts = [block["inlines"][0]["text"] for block in data["sections"][0]["blocks"] if block["type"] == "paragraph"]
    assert texts == list(PAYLOADS)


def test_payloads_are_literal_in_pdf(payload_doc):
    reader = pypdf.PdfReader(io.BytesIO(pdf_renderer.render_pdf(payload_doc)))
    text = squash("".join(page.extract_text() for page in reader.pages))
    for payload in PAYLOADS:
        assert squash(payload) in text, payload
    for page in reader.pages:
        assert not page.images
        for annot in page.get("/Annots") or ():
            action = annot.get_object().get("/A")
            assert not (action and "/URI" in action), action


# --- the PDF renderer never reaches out --------------------------------------------------------

class _Recorder(BaseHTTPRequestHandler):
    requests = []

    def do_GET(self):  # noqa: N802 - http.server's naming
        self.requests.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def loopback():
    _Recorder.requests = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", _Recorder.requests
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def test_pdf_makes_no_request_for_urls_in_text(loopback):
    base, requests = loopback
    url = f"{base}/x.png"
    texts = (
        url,
        f'<img src="{url}">',
        f'<link rel="stylesheet" href="{base}/x.css">',
        f"@import url({base}/x.css);",
        f"body {{ background: url({url}) }}",
        f'<iframe src="{base}/frame"></iframe>',
        f'<object data="{base}/obj"></object>',
        f'<a rel="attachment" href="{base}/attach">a</a>',
        f"![i]({url})",
        f"[click]({base}/link)",
        f"//127.0.0.1:{base.rsplit(':', 1)[1]}/protocol-relative.png",
    )
    document = payload_document(texts)
    pdf_renderer.render_pdf(document)
    for fmt in ("markdown", "html", "snippet", "json"):
        render(document, fmt)
    assert requests == []
    urllib.request.urlopen(f"{base}/control", timeout=5).close()  # the server does record requests
    assert requests == ["/control"]


def test_write_pdf_fetches_nothing_even_from_unsanitised_html(loopback, caplog):
    """Defence in depth: were markup ever to reach WeasyPrint, the fetcher still refuses it."""
    base, requests = loopback
    html = f"""<!DOCTYPE html><html lang="en"><head><title>t</title>
    <link rel="stylesheet" href="{base}/link.css">
    <style>@import url({base}/import.css); @font-face {{ font-family: x; src: url({base}/f.ttf) }}
    body {{ background: url({base}/bg.png); font-family: x }}</style></head>
    <body><img src="{base}/img.png"><img src="file:///etc/passwd"><object data="{base}/obj"></object>
    <a rel="attachment" href="{base}/attach">a</a><iframe src="{base}/frame"></iframe>
    <svg><image href="{base}/svg.png"/></svg><p>text</p></body></html>"""
    with caplog.at_level("WARNING"):
        data = pdf_renderer.write_pdf(html)
    assert data.startswith(b"%PDF")
    assert requests == []
    assert "refused to fetch" in caplog.text


def test_fetcher_refuses_everything_but_static_files(loopback, tmp_path):
    base, requests = loopback
    fetcher = StaticOnlyFetcher()
    refused = (
        "file:///etc/passwd",
        f"file://{STATIC_DIR}/fonts/DejaVuSans.ttf",
        f"{base}/font.ttf",
        "https://example.com/font.ttf",
        "ftp://example.com/font.ttf",
        "data:font/ttf;base64,AAAA",
        "hpstatic:../../etc/passwd",
        "hpstatic:fonts/../../../etc/passwd",
        "hpstatic:%2e%2e/%2e%2e/etc/passwd",
        "hpstatic:/etc/passwd",
        "hpstatic://etc/passwd",
        "hpstatic:fonts/..%2f..%2fgenerator/settings.py",
        "hpstatic:fonts\\..\\..\\etc\\passwd",
        "hpstatic:fonts/DejaVuSans.ttf%00.png",
        "hpstatic:fonts/DejaVuSans.ttf?x=1",
        "hpstatic:fonts/LICENSE-DejaVu.txt",
        "hpstatic:fonts/missing.ttf",
        "hpstatic:",
    )
    for url in refused:
        with pytest.raises(FetchRefused):
            fetcher.fetch(url)
    assert requests == []

    outside = tmp_path / "secret.ttf"
    outside.write_bytes(b"secret")
    root = tmp_path / "static"
    root.mkdir()
    (root / "link.ttf").symlink_to(outside)
    with pytest.raises(FetchRefused):
        StaticOnlyFetcher(root).fetch("hpstatic:link.ttf")


def test_fetcher_serves_the_bundled_font():
    fetcher = StaticOnlyFetcher()
    response = fetcher.fetch(static_url("fonts/DejaVuSans.ttf"))
    try:
        assert response.read() == (STATIC_DIR / "fonts" / "DejaVuSans.ttf").read_bytes()
        assert response.content_type == "font/ttf"
    finally:
        response.close()
    assert (STATIC_DIR / "fonts" / "LICENSE-DejaVu.txt").is_file()


# --- cache -------------------------------------------------------------------------------------

def test_pdf_cache_serves_unchanged_policy_without_rendering(document, tmp_path, settings):
    real = pdf_renderer.write_pdf
    with mock.patch.object(pdf_renderer, "write_pdf", wraps=real) as spy:
        first = render(document, "pdf")
        assert spy.call_count == 1
    cached = list((tmp_path / "cache" / "pdf").rglob("*.pdf"))
    assert len(cached) == 1 and cached[0].read_bytes() == first

    with mock.patch.object(pdf_renderer, "write_pdf", side_effect=AssertionError("rendered again")), \
            mock.patch("weasyprint.HTML", side_effect=AssertionError("WeasyPrint called")):
        assert render(document, "pdf") == first

    changed = replace(document, effective_date_text="24 November 2026")
    with mock.patch.object(pdf_renderer, "write_pdf", return_value=b"%PDF-new") as spy:
        assert render(changed, "pdf") == b"%PDF-new"
        assert spy.call_count == 1


def test_pdf_cache_keeps_only_the_most_recently_used(tmp_path):
    root = tmp_path / "pdf"
    for age, name in enumerate(["aa/newest.pdf", "bb/newer.pdf", "cc/old.pdf", "dd/oldest.pdf"]):
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"%PDF")
        os.utime(path, (1_700_000_000 - age * 100, 1_700_000_000 - age * 100))
    os.utime(root / "cc/old.pdf")  # a cache hit touches its file
    pdf_renderer.prune_cache(root, keep=2)
    assert sorted(p.name for p in root.rglob("*.pdf")) == ["newest.pdf", "old.pdf"]


def test_pdf_cache_key_depends_on_html_paper_and_version(document):
    html = pdf_renderer.pdf_html(document)
    key = pdf_renderer.cache_key(html, "A4")
    assert key == pdf_renderer.cache_key(html, "A4")
    assert key != pdf_renderer.cache_key(html, "Letter")
    assert key != pdf_renderer.cache_key(html + " ", "A4")
    with mock.patch.object(pdf_renderer, "RENDERER_VERSION", "test"):
        assert key != pdf_renderer.cache_key(html, "A4")


def test_urls_and_command_line_offer_exactly_the_registered_formats():
    import re as re_

    from generator.management.commands.generate_policy import Command
    from generator.web.urls import FormatConverter

    assert {f for f in FORMAT_IDS if re_.fullmatch(FormatConverter.regex, f)} == set(FORMAT_IDS)
    assert not re_.fullmatch(FormatConverter.regex, "docx")
    parser = Command().create_parser("manage.py", "generate_policy")
    format_action = next(a for a in parser._actions if "--format" in a.option_strings)
    assert tuple(format_action.choices) == FORMAT_IDS



def test_a_render_leaves_the_garbage_collector_as_it_found_it():
    import gc

    from generator.render.pdf import cyclic_gc_paused, write_pdf

    assert gc.isenabled()
    write_pdf("<!DOCTYPE html><html lang=en><title>x</title><p>x</p></html>")
    assert gc.isenabled()
    with pytest.raises(RuntimeError), cyclic_gc_paused():
        assert not gc.isenabled()
        raise RuntimeError("a failed render")
    assert gc.isenabled()
    gc.disable()
    try:
        with cyclic_gc_paused():
            pass
        assert not gc.isenabled()  # a caller that had paused it keeps it paused
    finally:
        gc.enable()
