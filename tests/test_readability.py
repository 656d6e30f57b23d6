"""A policy people can read (issue 9): at a glance, concise, clean prose.

Every worked example opens with a layered summary whose points link to their sections, the
Markdown has a linked table of contents whose anchors match the heading ids, no heading or
paragraph is repeated, labels read as words in a sentence, addresses end with their country,
validated URLs are links in every format while free text never is, and a California-only policy
is in US spelling.
"""
import copy
import io
import json
import re
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import markdown as markdown_lib
import pytest
from pypdf import PdfReader

from generator import policy
from generator.answers import load_answers, load_document
from generator.assembly import assemble
from generator.document import SUMMARY_SECTION, BulletList, Heading, Link, Paragraph, inline_text, plain_text
from generator.library import get_catalogues
from generator.library.clauses import Clause, Library, SectionDef, parse_text
from generator.library.placeholders import address_with_country, join_words
from generator.prose import sentence_label, to_us_spelling
from generator.render import render
from generator.render.markdown import escape as md_escape
from tests.conftest import ALLRU_ANSWERS

TODAY = date(2026, 11, 25)
EXAMPLES_DIR = Path(__file__).resolve().parent.parent / "docs" / "examples"
EXAMPLES = sorted(EXAMPLES_DIR.glob("*.yaml"))


def build(path):
    return policy.build(load_answers(path.read_bytes()).answers, today=TODAY)


@pytest.fixture(scope="module", params=EXAMPLES, ids=lambda p: p.stem)
def example(request):
    document = build(request.param)
    return request.param.stem, document, render(document, "markdown")


@pytest.fixture(scope="module")
def allru():
    document = build(EXAMPLES_DIR / "all-ru.yaml")
    return document, {fmt: render(document, fmt) for fmt in ("markdown", "html", "snippet", "json")}


class Anchors(HTMLParser):
    """ids and internal hrefs of an HTML string, and the first <h2> texts."""

    def __init__(self, source):
        super().__init__(convert_charrefs=True)
        self.ids, self.hrefs, self.links = set(), [], []
        self._h2, self.h2 = False, []
        self.feed(source)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if tag == "a" and attrs.get("href"):
            self.hrefs.append(attrs["href"])
            self.links.append(attrs)
        self._h2 = tag == "h2"

    def handle_endtag(self, tag):
        self._h2 = False

    def handle_data(self, data):
        if self._h2:
            self.h2.append(data)


# -- at a glance ------------------------------------------------------------------------------

def test_every_example_opens_with_the_summary_before_the_contents(example):
    _, document, md = example
    assert document.sections[0].id == SUMMARY_SECTION and document.sections[0].title == "At a glance"
    lines = md.splitlines()
    assert lines.index("## At a glance") < lines.index("**Contents**") < lines.index("## Who we are")
    summary = md.split("## At a glance", 1)[1].split("**Contents**", 1)[0]
    for label, title in (
        ("Who we are", "Who we are"), ("What we collect", "What personal data we collect"),
        ("How long we keep it", "How long we keep your data"), ("Your rights", "Your rights"),
        ("How to reach us", "How to contact us"),
    ):
        slug = re.sub(r"[^\w\- ]", "", title.lower()).replace(" ", "-")
        assert f"[{label}](#{slug}):" in summary, label
    assert len(summary.split()) < 400  # about a screen


def test_summary_links_and_contents_match_the_heading_ids(example):
    """Rendered by Python-Markdown with its toc extension (GitHub's ids for these titles), every
    internal link of the file leads to a heading."""
    _, document, md = example
    html = markdown_lib.markdown(md, extensions=["tables", "toc"])
    parsed = Anchors(html)
    internal = [h for h in parsed.hrefs if h.startswith("#")]
    assert len(internal) >= len(document.sections) - 1 + 6
    assert all(h[1:] in parsed.ids for h in internal), [h for h in internal if h[1:] not in parsed.ids]
    contents = md.split("**Contents**", 1)[1].split("\n## ", 1)[0]
    assert [m for m in re.findall(r"^- \[([^\]]+)\]", contents, re.M)] == [s.title for s in document.sections[1:]]


def test_summary_says_it_from_the_facts():
    document = build(EXAMPLES_DIR / "all-ru.yaml")
    md = render(document, "markdown")
    assert (
        "[Who we are](#who-we-are): we are All-Ru Ltd, Hawthorn House, Southwell Road West, "
        "Mansfield, Nottinghamshire, NG21 0HJ, United Kingdom, trading as All-Ru." in md
    )
    assert "[What we collect](#what-personal-data-we-collect): account details; billing and payment records;" in md
    assert "[How to reach us](#how-to-contact-us): by email to support@all-ru.net or in your control panel at <https://my.all-ru.net>." in md
    assert "[Why we use it](#why-we-use-your-data-and-our-legal-basis): running your account; providing our services;" in md
    assert "[Cookies](#cookies): our websites use strictly necessary, preference, analytics and marketing cookies;" in md
    allcot = render(build(EXAMPLES_DIR / "allcot.yaml"), "markdown")
    assert "Bahnhofstrasse 10, 6300 Zug, Switzerland" in allcot.split("**Contents**")[0]


def test_every_format_prints_the_summary_first(allru):
    document, out = allru
    for fmt in ("html", "snippet"):
        parsed = Anchors(out[fmt])
        assert parsed.h2[0] == "At a glance", fmt
        assert out[fmt].index('id="at-a-glance"') < out[fmt].index('class="hp-toc"'), fmt
        internal = [h for h in parsed.hrefs if h.startswith("#")]
        assert internal and all(h[1:] in parsed.ids for h in internal), fmt
    data = json.loads(out["json"])
    assert data["sections"][0]["id"] == SUMMARY_SECTION
    assert any(i.get("href") == "#who-we-are" for b in data["sections"][0]["blocks"] for i in b.get("inlines", ()))


def test_pdf_opens_with_the_summary():
    document = build(EXAMPLES_DIR / "allsales.yaml")
    reader = PdfReader(io.BytesIO(render(document, "pdf", cache=False)))
    first = " ".join(reader.pages[0].extract_text().split())
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split()).lower()
    assert "At a glance" in first and text.index("at a glance") < text.index("contents") < text.index("decides how and why")
    uris = [a.get_object()["/A"].get("/URI") for p in reader.pages for a in p.get("/Annots") or ()
            if a.get_object().get("/A")]
    assert "https://www.allsales.guru" in uris


# -- concise ----------------------------------------------------------------------------------

def _headings(document):
    for section in document.sections:
        yield section, section.title
        for block in section.blocks:
            if isinstance(block, Heading):
                yield section, block.text


def test_no_heading_repeated_within_a_section(example):
    _, document, _ = example
    for section in document.sections:
        texts = [b.text for b in section.blocks if isinstance(b, Heading)]
        assert len(texts) == len(set(texts)), (section.id, texts)


def test_no_heading_repeated_in_the_policy(example):
    _, document, _ = example
    seen, repeated = {}, []
    for section, text in _headings(document):
        if text in seen:
            repeated.append((seen[text], section.id, text))
        seen.setdefault(text, section.id)
    assert not repeated  # per-law repeats were fixed by issue 8's "one section per law" (571e30a)


def test_no_paragraph_repeated_verbatim(example):
    _, document, _ = example
    seen, repeated = {}, []
    for section in document.sections:
        for block in section.blocks:
            lines = [inline_text(block.inlines)] if isinstance(block, Paragraph) else (
                [inline_text(i) for i in block.items] if isinstance(block, BulletList) else [])
            for line in lines:
                if len(line.split()) < 4:
                    continue
                if line in seen:
                    repeated.append((seen[line], section.id, line[:80]))
                seen.setdefault(line, section.id)
    assert not repeated


def _clause(cid, heading, text):
    return Clause(id=cid, section="s", when="always", laws=("all",), meets=(), text=text,
                  blocks=parse_text(text), sources=(), legal_basis=(), vetting="", heading=heading)


def test_a_heading_used_again_later_in_a_section_is_printed_once():
    clauses = (
        _clause("s.a", "If you are in California", "Alpha."),
        _clause("s.b", "If you are in Brazil", "Beta."),
        _clause("s.c", "If you are in California", "Gamma."),
    )
    library = Library(sections=(SectionDef("s", "S", "010", clauses),), rejected=(), problems=())
    answers = load_document(copy.deepcopy(ALLRU_ANSWERS)).answers
    document = assemble(answers, library, get_catalogues(), TODAY)
    (section,) = document.sections
    assert [b.text if isinstance(b, Heading) else inline_text(b.inlines) for b in section.blocks] == [
        "If you are in California", "Alpha.", "Gamma.", "If you are in Brazil", "Beta.",
    ]


# -- clean prose ------------------------------------------------------------------------------

def test_raw_markdown_has_no_entity_or_www_escapes(example):
    _, _, md = example
    assert "&#58;" not in md and "www\\." not in md


def test_validated_urls_are_links_in_every_format(allru):
    _, out = allru
    assert "<https://www.all-ru.net>" in out["markdown"]
    assert "<https://www.all-ru.net/contacto>" in out["markdown"]
    for fmt in ("html", "snippet"):
        links = {a["href"]: a for a in Anchors(out[fmt]).links}
        for url in ("https://www.all-ru.net", "https://my.all-ru.net", "https://www.all-ru.net/contacto"):
            assert url in links, (fmt, url)
            assert set(links[url]["rel"].split()) >= {"nofollow", "noopener"}, fmt
    data = json.loads(out["json"])
    hrefs = {i.get("href") for s in data["sections"] for b in s["blocks"] for i in b.get("inlines", ())}
    assert {"https://www.all-ru.net", "https://my.all-ru.net"} <= hrefs


def test_free_text_url_is_never_a_link():
    doc = copy.deepcopy(ALLRU_ANSWERS)
    doc["business"]["address"] = "1 Street, see https://typed.example and www.typed.example"
    document = policy.build(load_document(doc).answers, today=TODAY)
    links = [i for s in document.sections for b in s.blocks if isinstance(b, Paragraph) for i in b.inlines
             if isinstance(i, Link)]
    assert all("typed.example" not in link.href for link in links)
    md = render(document, "markdown")
    assert "https://typed.example" in md  # readable, and CommonMark makes no link of it
    assert "typed.example" not in " ".join(re.findall(r'href="([^"]+)"', markdown_lib.markdown(md, extensions=["tables"])))
    assert "typed.example" not in " ".join(re.findall(r'href="([^"]+)"', render(document, "html")))


def test_markdown_escaping_keeps_prose_and_neutralises_structure():
    assert md_escape("Note: visit https://example.com at 10:30") == "Note: visit https://example.com at 10:30"
    assert md_escape("[x](https://evil.example) <b>") == "\\[x\\](https://evil.example) &lt;b>"


def test_category_labels_read_in_lower_case_mid_sentence(example):
    name, document, md = example
    catalogue_names = [c.name for c in get_catalogues().data_categories.values()]
    for label in catalogue_names:
        for joiner in (", ", " and ", "; "):
            assert f"{joiner}{label}" not in md.replace("**", ""), (name, label)


def test_label_and_list_helpers():
    assert sentence_label("Server and network logs") == "server and network logs"
    assert sentence_label("IP addresses") == "IP addresses"
    assert sentence_label("WHOIS data") == "WHOIS data"
    assert sentence_label("Google Analytics data") == "Google Analytics data"
    assert sentence_label("Stripe receipts") == "Stripe receipts"
    assert join_words(["account details", "server and network logs", "backups"]) == (
        "account details; server and network logs; and backups")
    assert join_words(["account details", "billing records", "backups"]) == "account details, billing records and backups"
    assert join_words(["the United Kingdom", "Germany"]) == "the United Kingdom and Germany"
    assert join_words(["billing and payment records", "account details"]) == (
        "billing and payment records, and account details")


def test_addresses_end_with_their_country():
    assert address_with_country("Bahnhofstrasse 10, 6300 Zug", "Switzerland", "CH") == "Bahnhofstrasse 10, 6300 Zug, Switzerland"
    assert address_with_country("1 Main St, London, UK", "the United Kingdom", "GB") == "1 Main St, London, UK"
    assert address_with_country("Hauptstr. 1, Berlin, Germany.", "Germany", "DE") == "Hauptstr. 1, Berlin, Germany."
    md = render(build(EXAMPLES_DIR / "all-ru.yaml"), "markdown")
    assert "Our address is Hawthorn House, Southwell Road West, Mansfield, Nottinghamshire, NG21 0HJ, United Kingdom." in md


def _allru(jurisdictions):
    doc = copy.deepcopy(ALLRU_ANSWERS)
    doc["jurisdictions"] = jurisdictions
    return policy.build(load_document(doc).answers, today=TODAY)


def test_california_only_policy_is_in_us_spelling():
    us = plain_text(_allru(["us_ca"]))
    for british in ("anonymise", "organisation", "authorisation", "behaviour", "recognise"):
        assert british not in us.lower(), british
    assert "anonymize" in us and "organization" in us
    uk = plain_text(_allru(["uk"]))
    assert "anonymise" in uk and "anonymize" not in uk
    both = plain_text(_allru(["us_ca", "uk"]))
    assert "anonymise" in both


def test_us_spelling_keeps_case_and_word_boundaries():
    assert to_us_spelling("Organisation and behaviour; ORGANISATIONS") == "Organization and behavior; ORGANIZATIONS"
    assert to_us_spelling("misbehaviours centred") == "misbehaviours centred"
    assert to_us_spelling("licence at https://x.example/licence or licence@x.example") == (
        "license at https://x.example/licence or licence@x.example")


@pytest.mark.parametrize("url", ["www.example.com", "javascript:alert(1)", "https:///no-host", "https://a b.example"])
def test_url_fields_accept_only_http_addresses(url):
    for where in ("websites", "contact_url"):
        doc = copy.deepcopy(ALLRU_ANSWERS)
        doc["business"][where] = [url] if where == "websites" else url
        result = load_document(doc)
        assert not result.ok
        assert any("is not a web address starting with https:// or http://" in str(e) for e in result.errors), result.errors


def test_summary_never_promises_deletion_of_data_kept_indefinitely():
    doc = copy.deepcopy(ALLRU_ANSWERS)
    doc["data"][1]["retention"] = "indefinite"  # billing
    md = render(policy.build(load_document(doc).answers, today=TODAY), "markdown")
    summary = md.split("**Contents**")[0]
    assert "[How long we keep it](#how-long-we-keep-your-data): billing and payment records with no fixed end date" in summary
    assert "then we delete" not in summary


def test_request_channels_link_every_validated_url():
    doc = copy.deepcopy(ALLRU_ANSWERS)
    doc["rights"]["request_channels"] = ["email", "web_form", "control_panel", "post"]
    md = render(policy.build(load_document(doc).answers, today=TODAY), "markdown")
    assert (
        "[How to reach us](#how-to-contact-us): by email to support@all-ru.net, through the form at "
        "<https://www.all-ru.net/contacto>, in your control panel at <https://my.all-ru.net> or by post to "
        "Hawthorn House, Southwell Road West, Mansfield, Nottinghamshire, NG21 0HJ, United Kingdom." in md
    )


def test_every_url_in_the_examples_is_a_link(example):
    """No web address of a worked example is printed as bare text in the HTML page."""
    name, document, _ = example
    page = render(document, "html")
    text = re.sub(r"<style>.*?</style>", "", page, flags=re.S)
    text = re.sub(r"<a [^>]*>.*?</a>", "", text, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", text)
    assert not re.findall(r"(?:https?://|www\.)\S+", text), name


def test_representative_address_ends_with_its_country():
    doc = copy.deepcopy(ALLRU_ANSWERS)
    doc["business"]["eu_representative"] = {
        "name": "Rep GmbH", "address": "Street 1, 10115 Berlin", "country": "DE", "email": "rep@example.com"}
    text = plain_text(policy.build(load_document(doc).answers, today=TODAY))
    assert "Rep GmbH, Street 1, 10115 Berlin, Germany, rep@example.com" in text


def test_a_point_whose_section_is_absent_keeps_its_label_as_text():
    from generator.document import Text
    from generator.library.clauses import Literal, SectionLink
    from generator.assembly import fill_inlines as _fill

    run = (SectionLink("Backups", "backups"), Literal(": kept 30 days."))
    assert _fill(run, lambda path: None, {}) == (Text("Backups"), Text(": kept 30 days."))
    assert _fill(run, lambda path: None, {"backups": "backups"})[0] == Link("Backups", "#backups")
