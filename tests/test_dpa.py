"""The customer DPA: built from the worked examples' answers, checked as a reader and counsel would.

Each Art. 28(3) item is looked for in the agreement's text, not only in the report; the sub-processor
table is compared with the recipients that receive hosted data; the transfer mechanism for each
sub-processor is compared with the cell the privacy policy prints for the same recipient.
"""
import html
import json
import subprocess
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command
from django.core.management.base import CommandError

from generator import dpa, dpa_report, policy
from generator.answers import load_answers_file
from generator.answers.loader import load_document
from generator.document import plain_text
from generator.render import render
from tests.conftest import ALLRU_ANSWERS
from tests.factories import answers_from, markdown_tables

EXAMPLES = Path(__file__).resolve().parent.parent / "docs" / "examples"
# The worked examples whose businesses host customer data under a law the DPA covers, and the
# recipients in their answers that receive that hosted data (read from their processors lists).
WITH_DPA = {
    "all-ru": set(),
    "allcot": {"DigitalOcean"},
    "munich-host": {"Hetzner"},
    "lisbon-host": {"Hetzner", "Amazon Web Services"},
    "us-reseller-eu": set(),
}
# Art. 28(3)(a)-(h), each by words the agreement must contain.
ART_28_3 = {
    "a": ("only on your documented instructions", "If we think an instruction breaks data protection law, we tell you at once"),
    "b": ("bound to keep it confidential",),
    "c": ("technical and organisational measures suited to the risk",),
    "d": ("general written authorisation", "before we add or replace a sub-processor", "same data protection obligations"),
    "e": ("we help you with appropriate technical and organisational measures",),
    "f": ("data protection impact assessments", "notifying breaches to the supervisory authority"),
    "g": ("delete it",),
    "h": ("audits, including inspections",),
}


def _answers(name):
    result = load_answers_file(EXAMPLES / f"{name}.yaml")
    assert result.ok, result.errors
    return result.answers


def _table(markdown, first_column):
    return next(t for t in markdown_tables(markdown) if t and first_column in t[0])


def test_the_examples_that_get_a_dpa_are_those_that_host_customer_data_under_a_covered_law():
    got = {p.stem for p in EXAMPLES.glob("*.yaml") if dpa.why_not_available(_answers(p.stem)) is None}
    assert got == set(WITH_DPA)
    assert "152-FZ" in dpa.why_not_available(_answers("russia-host"))  # hosts, but under a law not covered
    assert "not their processor" in dpa.why_not_available(_answers("alexrust"))  # sells no hosting


@pytest.mark.parametrize("name", sorted(WITH_DPA))
def test_every_art_28_3_item_is_in_the_agreement(name):
    answers = _answers(name)
    document = dpa.build_dpa(answers)
    text = " ".join(plain_text(document).split())
    for letter, phrases in ART_28_3.items():
        for phrase in phrases:
            assert phrase in text, f"Art. 28(3)({letter}): {phrase!r} not in the DPA for {name}"
    rep = dpa_report.report(answers, document)
    by_id = {i.element_id: i for i in rep.items}
    for element in ("gdpr28.instructions", "gdpr28.confidentiality",
                    "gdpr28.data_subject_requests", "gdpr28.assistance", "gdpr28.audits"):
        assert by_id[element].status == "met", by_id[element]
    # a worked example that does not state the measures it applies to customers' data (dpa.measures):
    # the Annex says so and the report shows the problem (counsel round 2, M3); the others state them
    if name in ("all-ru", "us-reseller-eu"):
        assert by_id["gdpr28.security"].status == "problem" and "dpa.measures" in by_id["gdpr28.security"].advice
        assert "We have not yet stated which security measures we apply to your data" in text
    else:
        assert by_id["gdpr28.security"].status == "met", by_id["gdpr28.security"]
        assert "We have not yet stated which security measures" not in text
    # us-reseller-eu backs customers' data up with no retention for the backups (counsel round 2, M4)
    assert by_id["gdpr28.deletion"].status == ("problem" if name == "us-reseller-eu" else "met"), by_id["gdpr28.deletion"]
    # with no sub-processor named and none confirmed, the list is a problem, not "met" (counsel C3)
    assert by_id["gdpr28.subprocessors"].status == ("met" if WITH_DPA[name] else "problem")


@pytest.mark.parametrize("name", sorted(WITH_DPA))
def test_the_subprocessor_table_lists_exactly_the_recipients_of_hosted_data(name):
    markdown = render(dpa.build_dpa(_answers(name)), "markdown")
    tables = [t for t in markdown_tables(markdown) if t and "Sub-processor" in t[0]]
    listed = {row["Sub-processor"].split(" (")[0] for row in tables[0]} if tables else set()
    assert listed == WITH_DPA[name]
    if not WITH_DPA[name]:
        # the examples confirm no absence of sub-processors, so none says it has none (counsel C3)
        assert "not yet named the sub-processors" in markdown and "we use no sub-processors" not in markdown


@pytest.mark.parametrize("name", sorted(n for n, subs in WITH_DPA.items() if subs))
def test_each_subprocessor_has_the_policys_transfer_mechanism(name):
    answers = _answers(name)
    dpa_rows = _table(render(dpa.build_dpa(answers), "markdown"), "Sub-processor")
    policy_rows = {r["Recipient"]: r for r in _table(render(policy.build(answers), "markdown"), "Recipient")}
    for row in dpa_rows:
        assert row["Transfer mechanism"] == policy_rows[row["Sub-processor"]]["Safeguard"], row


def test_registries_certificate_authorities_payments_and_ad_vendors_are_never_subprocessors():
    """Even when the answers (wrongly) say they receive hosted content."""
    answers = answers_from(ALLRU_ANSWERS, processors=[
        {"id": "aws"}, {"id": "stripe", "data": ["billing", "hosted_content"]},
        {"id": "lets_encrypt", "data": ["hosted_content"]}, {"id": "tucows_opensrs", "data": ["hosted_content"]},
        {"id": "google_ads", "data": ["hosted_content"]},
        {"name": "Tiny Registrar", "group": "registrars", "purpose": "registers domains", "country": "DE",
         "data": ["hosted_content"]},
    ])
    rows = _table(render(dpa.build_dpa(answers), "markdown"), "Sub-processor")
    assert [r["Sub-processor"] for r in rows] == ["Amazon Web Services (AWS) (Amazon Web Services EMEA SARL)"], rows


def test_a_payment_gateway_without_hosted_data_is_not_a_subprocessor():
    answers = answers_from(ALLRU_ANSWERS, processors=[{"id": "stripe"}, {"id": "aws"}])
    text = plain_text(dpa.build_dpa(answers))
    assert "Stripe" not in text and "Amazon Web Services" in text


def test_a_host_outside_the_eea_names_the_transfer_to_itself_or_the_report_flags_it():
    us_host = dict(ALLRU_ANSWERS, business=dict(ALLRU_ANSWERS["business"], country="US", eu_representative_exempt=True,
                                                  uk_representative_exempt=True), jurisdictions=["eu"])
    with_scc = answers_from(us_host, transfers={"safeguards": ["scc"]})
    text = " ".join(plain_text(dpa.build_dpa(with_scc)).split())
    assert "We are established in the United States, outside the European Economic Area (EEA)" in text
    assert "standard contractual clauses, which are not yet incorporated" in text  # no governing law yet
    chosen = answers_from(us_host, transfers={"safeguards": ["scc"]}, dpa={"scc_governing_law": "NL"})
    assert "Module Two (controller to processor)" in " ".join(plain_text(dpa.build_dpa(chosen)).split())
    without = answers_from(us_host)
    document = dpa.build_dpa(without)
    assert "No transfer mechanism for it is named yet" in plain_text(document)
    item = next(i for i in dpa_report.report(without, document).items if i.element_id == "gdpr28.transfers")
    assert item.status == "problem" and "your business itself" in item.advice


def test_the_answers_change_the_agreement():
    answers = answers_from(ALLRU_ANSWERS, dpa={
        "subprocessor_notice_days": 45, "objection_days": 20, "breach_notice_hours": 36,
        "audit": "inspection_on_request", "audit_notice_days": 10, "acceptance": "signature",
    })
    text = " ".join(plain_text(dpa.build_dpa(answers)).split())
    assert "at least 45 days before we add or replace a sub-processor" in text
    assert "within 20 days of our notice" in text
    assert "without undue delay and in any case within 36 hours" in text
    assert "at least 10 days' notice" in text and "We first answer with our documentation" not in text
    assert "For the customer: legal name and address" in text


def test_deletion_period_comes_from_hosted_content_and_its_absence_is_reported():
    data = [d for d in ALLRU_ANSWERS["data"] if d["id"] != "hosted_content"] + [{"id": "hosted_content", "retention": "P60D"}]
    text = plain_text(dpa.build_dpa(answers_from(ALLRU_ANSWERS, data=data)))
    assert "We delete it 60 days after the service ends" in text  # backups (12 months) stated apart: C1
    without = answers_from(ALLRU_ANSWERS, data=[d for d in ALLRU_ANSWERS["data"] if d["id"] != "hosted_content"])
    document = dpa.build_dpa(without)
    item = next(i for i in dpa_report.report(without, document).items if i.element_id == "gdpr28.deletion")
    assert item.status == "missing" and "Retention step" in item.advice
    assert "We then delete it and every copy we hold" in plain_text(document)


def test_breach_hours_that_leave_the_customer_no_time_are_a_problem():
    answers = answers_from(ALLRU_ANSWERS, dpa={"breach_notice_hours": 72})
    item = next(i for i in dpa_report.report(answers, dpa.build_dpa(answers)).items if i.element_id == "gdpr28.breach_notice")
    assert item.status == "problem"
    fine = answers_from(ALLRU_ANSWERS, dpa={"breach_notice_hours": 24})
    item = next(i for i in dpa_report.report(fine, dpa.build_dpa(fine)).items if i.element_id == "gdpr28.breach_notice")
    assert item.status == "met"


def test_regime_blocks_appear_only_for_the_chosen_laws():
    eu_only = plain_text(dpa.build_dpa(answers_from(ALLRU_ANSWERS, jurisdictions=["eu"])))
    assert "UK GDPR" not in eu_only and "FADP" not in eu_only and "CCPA" not in eu_only and "LGPD" not in eu_only
    everything = answers_from(ALLRU_ANSWERS, jurisdictions=["eu", "uk", "ch", "br", "us_ca", "ru"],
                              business=dict(ALLRU_ANSWERS["business"], dpo={"name": "Ana Souza", "email": "dpo@all-ru.net"}))
    document = dpa.build_dpa(everything)
    text = " ".join(plain_text(document).split())
    for phrase in ("Information Commissioner", "breach of data security, which we report to you as soon as possible",
                   "you are the controller (controlador) and we are the operator (operador)",
                   "We do not sell or share it"):
        assert phrase in text
    ru = [i for i in dpa_report.report(everything, document).items if i.law == "ru"]
    # what a Russian host's customers need instead: a 152-FZ Art. 6 part 3 instruction (counsel, M9)
    assert [i.status for i in ru] == ["problem"] and "152-FZ Art. 6 part 3" in ru[0].advice


def test_unmanaged_servers_scope_the_measures():
    text = " ".join(plain_text(dpa.build_dpa(answers_from(ALLRU_ANSWERS))).split())  # shared hosting and VPS
    assert "Services we manage, where these measures cover the whole system: shared hosting." in text
    assert "Services you manage yourself" in text and "virtual private servers (VPS)" in text
    managed_only = plain_text(dpa.build_dpa(answers_from(ALLRU_ANSWERS, services=["shared_hosting"])))
    assert "Services you manage yourself" not in managed_only and "On a server you manage yourself" not in managed_only


def test_the_business_own_measures_text_is_data_in_every_format(tmp_path):
    hostile = '<script>alert(1)</script> **bold** [x](https://evil.example) <img src="http://127.0.0.1:9/x">'
    answers = answers_from(ALLRU_ANSWERS, dpa={"measures_text": hostile})
    document = dpa.build_dpa(answers)
    page = render(document, "html")
    assert "<script>alert(1)" not in page and html.escape(hostile, quote=False).split(" <img")[0] in page
    assert 'href="https://evil.example"' not in page
    data = json.loads(render(document, "json"))
    annex = next(s for s in data["sections"] if s["id"] == "annex")
    texts = [i["text"] for b in annex["blocks"] if b["type"] == "paragraph" for i in b["inlines"]]
    assert hostile in texts  # one plain text inline, neither markup nor a link
    markdown = render(document, "markdown")
    assert "\\*\\*bold\\*\\* \\[x\\](https://evil.example) &lt;img" in markdown and "<script>" not in markdown
    pdf = tmp_path / "hostile.pdf"
    pdf.write_bytes(render(document, "pdf", cache=False))
    pdf_text = " ".join(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout.split())
    assert "<script>alert(1)</script> **bold** [x](https://evil.example)" in pdf_text  # printed, not fetched or run


def test_all_five_exports_and_the_pdf_text_holds_subprocessors_and_measures(tmp_path):
    doc = yaml.safe_load((EXAMPLES / "allcot.yaml").read_text(encoding="utf-8"))
    doc["dpa"] = {"measures": ["staff_training", "vulnerability_management"]}  # the DPA step's answer (M3)
    result = load_document(doc)
    assert result.ok, result.errors
    document = dpa.build_dpa(result.answers)
    for fmt in ("markdown", "html", "snippet", "json"):
        assert "DigitalOcean" in render(document, fmt)
    pdf = tmp_path / "dpa.pdf"
    pdf.write_bytes(render(document, "pdf", cache=False))
    text = " ".join(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout.split())
    assert "Data processing agreement" in text
    assert "DigitalOcean" in text
    assert "We apply security updates promptly to the services we manage for you" in text
    assert "Staff who can reach your data are trained in data protection and security" in text


def test_cli_writes_the_dpa_and_keeps_the_policy_as_default(tmp_path, capsys):
    out = tmp_path / "dpa.md"
    call_command("generate_policy", str(EXAMPLES / "munich-host.yaml"), "--document", "dpa", "-o", str(out), "--report")
    assert out.read_text(encoding="utf-8").startswith("# Data processing agreement")
    report = capsys.readouterr().out
    # no hours to customers answered: "without undue delay" is lawful, the hours a to-do (counsel round 2, n9);
    # the measures on customers' data stated (round 3, n1), none of them regular testing (Art. 32(1)(d));
    # and the terms left at their defaults (m7)
    assert "GDPR Art. 28 (processor contract): 15 met, 0 missing, 2 problems, 2 to do outside the agreement" in report
    assert "TO DO    gdpr28.breach_hours" in report and "PROBLEM  gdpr28.breach_notice" not in report
    assert "PROBLEM  gdpr28.security" not in report
    assert "PROBLEM  gdpr28.terms_confirmed" in report and "PROBLEM  gdpr32.testing" in report
    call_command("generate_policy", str(EXAMPLES / "munich-host.yaml"), "-o", str(tmp_path / "policy.md"))
    assert not (tmp_path / "policy.md").read_text(encoding="utf-8").startswith("# Data processing agreement")
    with pytest.raises(CommandError, match="not their processor"):
        call_command("generate_policy", str(EXAMPLES / "alexrust.yaml"), "--document", "dpa")


def test_the_worked_dpas_in_docs_are_up_to_date():
    call_command("render_examples", "--check")  # raises, naming the stale files


def test_explain_policy_traces_the_dpa_to_its_clauses_and_sources(capsys):
    call_command("explain_policy", str(EXAMPLES / "munich-host.yaml"), "--document", "dpa")
    out = capsys.readouterr().out
    assert "[duties.instructions] We process your data only on your documented instructions" in out
    assert "we will only act following the instructions of our client as controller of data" in out  # seed 000
    assert "[subprocessors.list]" in out and "rows built from your answers and clauses/catalogues/ (subprocessors_table)" in out
