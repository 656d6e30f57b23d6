"""Every worked example, in every format, from one document; user text stays text everywhere."""
import copy
import html
import http.server
import io
import json
import re
import threading
from datetime import date
from pathlib import Path

import markdown as markdown_lib
import pytest
import yaml
from pypdf import PdfReader

from generator import policy
from generator.answers import load_answers, load_document
from generator.assembly import period_words
from generator.library import get_catalogues
from generator.render import FORMAT_IDS, render
from generator.resolve import Facts

TODAY = date(2026, 11, 23)
EXAMPLES = sorted((Path(__file__).resolve().parent.parent / "docs" / "examples").glob("*.yaml"))


def squash(text):
    """Whitespace-free text, so that words wrapped across PDF lines still match."""
    return "".join(text.split())


def pdf_text(data):
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def html_text(markup):
    return html.unescape(re.sub(r"<[^>]+>", " ", markup))


def expected_strings(answers):
    facts = Facts(answers, get_catalogues())
    words = get_catalogues().words
    periods = [p for p in (period_words(d, words) for d in facts.data_items) if p]
    return [answers.business.legal_name], [p.name for p in facts.processors], periods


@pytest.fixture(scope="module", params=EXAMPLES, ids=lambda p: p.stem)
def example(request):
    answers = load_answers(request.param.read_bytes()).answers
    document = policy.build(answers, today=TODAY)
    outputs = {fmt: render(document, fmt, **({"cache": False} if fmt == "pdf" else {})) for fmt in FORMAT_IDS}
    return answers, document, outputs


def test_every_format_generates(example):
    _, _, outputs = example
    assert outputs["pdf"].startswith(b"%PDF-")
    assert outputs["markdown"].startswith("# ")
    assert outputs["html"].lstrip().lower().startswith("<!doctype html>")
    assert outputs["snippet"].lstrip().startswith("<section")
    assert json.loads(outputs["json"])["format"] == "hostpolicy-document/1"


def test_pdf_names_the_business_every_processor_and_every_period(example):
    answers, _, outputs = example
    text = squash(pdf_text(outputs["pdf"]))
    names, processors, periods = expected_strings(answers)
    for expected in names + processors + periods:
        assert squash(expected) in text, expected


def test_markdown_and_html_say_the_same_things(example):
    answers, document, outputs = example
    md_text = html_text(markdown_lib.markdown(outputs["markdown"], extensions=["tables"]))
    page_text = html_text(outputs["html"])
    snippet_text = html_text(outputs["snippet"])
    names, processors, periods = expected_strings(answers)
    for expected in names + processors + periods + [s.title for s in document.sections]:
        for label, text in (("markdown", md_text), ("html", page_text), ("snippet", snippet_text)):
            assert squash(expected) in squash(text), (label, expected)


def test_pdf_has_a_page_count_footer_and_contents(example):
    _, document, outputs = example
    reader = PdfReader(io.BytesIO(outputs["pdf"]))
    pages = len(reader.pages)
    first = reader.pages[0].extract_text()
    assert f"Page 1 of {pages}" in squash(first) or squash(f"Page 1 of {pages}") in squash(first)
    assert reader.metadata.title == document.title
    assert reader.metadata.author == document.legal_name


# -- user text is data ------------------------------------------------------------------------

PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<iframe src=//evil.example></iframe>",
    "[click](http://evil.example/)",
    "![pixel](http://evil.example/p.png)",
    "@import url(http://evil.example/x.css);",
    "file:///etc/passwd",
    "# Heading",
    "| a | b |",
]


def payload_answers(payload, server_url=None):
    """Put the payload into every free-text field of an answers document."""
    p = payload if server_url is None else payload.replace("http://evil.example", server_url)
    doc = yaml.safe_load((EXAMPLES[0]).read_text())
    doc = copy.deepcopy(doc)
    b = doc["business"]
    b.update({
        "legal_name": f"Evil {p} Ltd", "trading_name": f"T {p}", "address": f"A {p}",
        "company_number": f"N {p}", "phone": f"P {p}",
        "dpo": {"name": f"D {p}", "email": "dpo@example.com", "address": f"DA {p}"},
        "eu_representative": {"name": f"R {p}", "address": f"RA {p}", "email": "rep@example.com"},
    })
    doc["data"] = list(doc["data"]) + [{
        "id": "custom_payload", "name": f"C {p}", "examples": [f"E {p}"], "purposes": ["support"],
        "retention": "P1Y", "retention_reason": f"W {p}", "retention_starts": f"S {p}",
    }]
    doc["processors"] = list(doc["processors"]) + [{
        "name": f"V {p}", "purpose": f"U {p}", "description": f"X {p}", "entity": f"En {p}", "country": "DE",
        # a validated URL field: a link to itself by design (issue 9), so not the payload's domain
        "data": ["custom_payload"], "privacy_url": (server_url or "https://vendor.example") + "/privacy",
    }]
    doc["cookies"] = {"banner": True, "items": [{"name": f"K {p}", "purpose": "preferences", "duration": "P1D",
                                                  "description": f"KD {p}"}]}
    doc.setdefault("security", {})["measures"] = [f"M {p}"]
    result = load_document(doc)
    assert result.ok, result.errors
    return result.answers


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payloads_are_literal_text_in_every_format(payload):
    document = policy.build(payload_answers(payload), today=TODAY)
    md = render(document, "markdown")
    rendered_md = markdown_lib.markdown(md, extensions=["tables"])
    page = render(document, "html")
    snippet = render(document, "snippet")
    data = json.loads(render(document, "json"))
    pdf = squash(pdf_text(render(document, "pdf", cache=False)))

    for markup in (page, snippet, rendered_md):
        assert "<script" not in markup.lower()
        assert "<iframe" not in markup.lower()
        assert "<img" not in markup.lower()
        assert 'href="http://evil.example' not in markup
        assert "evil.example/p.png\"" not in markup
        assert squash(f"Evil {payload} Ltd") in squash(html_text(markup))
        assert 'href="https://vendor.example/privacy"' in markup  # the validated URL field is a link
    assert rendered_md.count("<h1") == 1  # '# Heading' stays text
    assert f"Evil {payload} Ltd" in json.dumps(data, ensure_ascii=False)
    assert squash(f"Evil {payload} Ltd") in pdf


class _CountingHandler(http.server.BaseHTTPRequestHandler):
    hits = []

    def do_GET(self):  # noqa: N802 - http.server's name
        self.hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "text/css")
        self.end_headers()
        self.wfile.write(b"body{}")

    def log_message(self, *args):
        pass


def test_pdf_render_fetches_nothing_from_a_listening_server():
    server = http.server.HTTPServer(("127.0.0.1", 0), _CountingHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        for payload in PAYLOADS:
            document = policy.build(payload_answers(payload, server_url=url), today=TODAY)
            render(document, "pdf", cache=False)
            render(document, "html")
    finally:
        server.shutdown()
    assert _CountingHandler.hits == []
