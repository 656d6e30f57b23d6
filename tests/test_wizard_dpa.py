"""The customer DPA in the wizard: its step (shown only to hosts of customer data), the review
showing both documents and both reports, and downloads of both, through Django's test client."""
import html as html_lib
import json
import re

import pytest

from tests.test_wizard import error_ids, new_draft, saved, submit, url
from tests.test_wizard import text as raw_text

pytestmark = pytest.mark.django_db


def text(response):
    return html_lib.unescape(raw_text(response))


def test_dpa_step_saves_its_answers_and_keeps_bad_input_with_a_named_error(client, allru_answers):
    token = new_draft(client, allru_answers)
    response = submit(client, token, "dpa", {"subprocessor_notice_days": "20", "objection_days": "25"})
    assert response.status_code == 200  # not saved: shown again
    html = text(response)
    assert "Make this fewer than 20 days, the notice you give" in html
    assert 'value="25"' in html  # what was typed is kept
    ids, described = error_ids(raw_text(response))
    assert any(i.startswith("id_objection_days") for i in ids) and "id_objection_days" in described
    assert "dpa" not in saved(token)
    response = submit(client, token, "dpa", {
        "subprocessor_notice_days": "20", "objection_days": "10", "breach_notice_hours": "24",
        "audit": "inspection_on_request", "acceptance": "signature", "measures_text": "Locked racks, CCTV.",
    })
    assert response.status_code == 302 and response["Location"] == url(token, "review")
    assert saved(token)["dpa"] == {  # audit_notice_days kept at the contract's default, so not written
        "subprocessor_notice_days": 20, "objection_days": 10, "audit": "inspection_on_request",
        "acceptance": "signature", "breach_notice_hours": 24, "measures_text": "Locked racks, CCTV.",
        "terms_confirmed": True,  # saving the step is the business's choice of its terms (counsel, m7)
        "measures": ["tls", "password_hashing", "backups"],  # suggested from the security step, saved here (round 2, M3)
    }


def test_dpa_step_is_skipped_for_a_business_that_hosts_no_customer_data(client, allru_answers):
    allru_answers["services"] = ["domains", "ssl_certificates"]
    allru_answers["data"] = [d for d in allru_answers["data"] if d["id"] != "hosted_content"]
    token = new_draft(client, allru_answers)
    assert client.get(url(token, "dpa"))["Location"] == url(token, "review")
    html = text(client.get(url(token, "review")))
    assert "None of the services you sell stores your customers' data" in html
    assert f"/d/{token}/dpa/download/" not in html
    assert client.get(f"/d/{token}/dpa/download/markdown/").status_code == 404
    assert client.get(f"/d/{token}/download/markdown/").status_code == 200  # the policy still is


def test_review_shows_both_documents_both_reports_and_both_downloads(client, allru_answers):
    token = new_draft(client, allru_answers)
    html = text(client.get(url(token, "review")))
    assert 'id="policy-title"' in html and 'id="dpa-title"' in html
    assert "Data processing agreement" in html and "Its compliance report" in html
    assert "Our duties as your processor" in html
    for fmt in ("pdf", "html", "markdown", "snippet", "json"):
        assert f'href="/d/{token}/download/{fmt}/"' in html
        assert f'href="/d/{token}/dpa/download/{fmt}/"' in html
    assert "GDPR Art. 28(3)(a)" in html  # the Art. 28(3) checklist, met items listed
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert len(ids) == len(set(ids)), "two previews on one page share an id"


def test_dpa_downloads_are_the_agreement(client, allru_answers):
    allru_answers["processors"].append({"id": "aws"})
    token = new_draft(client, allru_answers)
    response = client.get(f"/d/{token}/dpa/download/markdown/")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="data-processing-agreement.md"'
    body = response.content.decode()
    assert body.startswith("# Data processing agreement") and "Amazon Web Services" in body
    data = json.loads(client.get(f"/d/{token}/dpa/download/json/").content)
    assert data["title"] == "Data processing agreement"
    policy = client.get(f"/d/{token}/download/markdown/")
    assert policy["Content-Disposition"] == 'attachment; filename="privacy-policy.md"'
    assert not policy.content.decode().startswith("# Data processing agreement")


def test_report_gap_in_the_dpa_links_to_the_step_that_fixes_it(client, allru_answers):
    allru_answers["dpa"] = {"breach_notice_hours": 96}
    token = new_draft(client, allru_answers)
    html = text(client.get(url(token, "review")))
    assert "which reads as if they had to wait that long" in html
    assert f'<a href="/d/{token}/dpa/">Fix this in the step “Customer DPA”</a>' in html


def test_dpa_step_records_the_confirmation_of_no_subprocessors_only_when_ticked(client, allru_answers):
    token = new_draft(client, allru_answers)
    base = {"subprocessor_notice_days": "30", "objection_days": "14", "audit": "reports_first",
            "audit_notice_days": "30", "acceptance": "online"}
    response = client.get(url(token, "dpa"))
    assert "no third party can access customer data" in text(response)
    submit(client, token, "dpa", base)
    assert "no_subprocessors_confirmed" not in saved(token).get("dpa", {})
    submit(client, token, "dpa", {**base, "no_subprocessors_confirmed": "on"})
    assert saved(token)["dpa"]["no_subprocessors_confirmed"] is True


def test_dpa_step_offers_the_security_steps_breach_hours_only_below_72(client, allru_answers):
    token = new_draft(client, allru_answers)  # security.breach_notice_hours: 72, the authority's window
    assert 'name="breach_notice_hours" value' not in raw_text(client.get(url(token, "dpa")))
    allru_answers["security"]["breach_notice_hours"] = 48
    token = new_draft(client, allru_answers)
    assert 'value="48"' in raw_text(client.get(url(token, "dpa")))
    # only a suggestion: the agreement prints it once the business saves this step (round 2, n9)
    body = client.get(f"/d/{token}/dpa/download/markdown/").content.decode()
    assert "within 48 hours" not in body
    assert submit(client, token, "dpa").status_code == 302
    assert saved(token)["dpa"]["breach_notice_hours"] == 48
    assert "in any case within 48 hours of becoming aware of it" in client.get(f"/d/{token}/dpa/download/markdown/").content.decode()


def test_dpa_step_suggests_the_security_steps_measures_and_the_annex_prints_only_what_is_saved(client, allru_answers):
    # counsel round 2, M3: one tick, two meanings - the customers' data gets its own answer
    token = new_draft(client, allru_answers)  # security.measures: tls, password_hashing, backups
    html = text(client.get(url(token, "dpa")))
    assert "Which of these measures do you apply to your customers' data on the services you manage?" in html
    page = raw_text(client.get(url(token, "dpa")))
    for measure in ("tls", "password_hashing", "backups"):
        assert re.search(rf'name="measures" value="{measure}"[^>]*checked', page), measure
    assert not re.search(r'name="measures" value="mfa_for_staff"[^>]*checked', page)
    before = client.get(f"/d/{token}/dpa/download/markdown/").content.decode()
    assert "We have not yet stated which security measures we apply to your data" in before
    assert "encrypted with TLS" not in before
    assert submit(client, token, "dpa", {"measures": ["tls", "mfa_for_staff"]}).status_code == 302
    assert saved(token)["dpa"]["measures"] == ["tls", "mfa_for_staff"]
    assert saved(token)["security"]["measures"] == ["tls", "password_hashing", "backups"]  # the policy's own answer untouched
    after = client.get(f"/d/{token}/dpa/download/markdown/").content.decode()
    assert "not yet stated" not in after
    assert "encrypted with TLS" in after and "multi-factor authentication" in after and "salted hashes" not in after
    assert submit(client, token, "dpa", {"measures": None}).status_code == 302  # none ticked is an answer
    assert saved(token)["dpa"]["measures"] == []
    page = raw_text(client.get(url(token, "dpa")))
    assert not re.search(r'name="measures" value="tls"[^>]*checked', page)  # the saved choice, not the suggestion


def _us_reseller_answers():
    import yaml
    from pathlib import Path

    path = Path(__file__).resolve().parent.parent / "docs" / "examples" / "us-reseller-eu.yaml"
    answers = yaml.safe_load(path.read_text(encoding="utf-8"))
    answers["policy"]["effective_date"] = str(answers["policy"]["effective_date"])
    answers.pop("dpa", None)  # the governing law not chosen yet
    return answers


def test_scc_law_and_courts_are_asked_of_a_host_outside_the_eea_and_saved_as_eea_codes(client):
    token = new_draft(client, _us_reseller_answers())
    html = text(client.get(url(token, "dpa")))
    assert "Standard contractual clauses with customers in the EU" in html
    assert "Law governing the standard contractual clauses (Clause 17)" in html
    assert '<option value="IE">Ireland</option>' in html and '<option value="US">' not in html
    response = submit(client, token, "dpa", {"scc_governing_law": "US"})
    assert response.status_code == 200 and "id_scc_governing_law_error" in error_ids(raw_text(response))[0]
    response = submit(client, token, "dpa", {"scc_governing_law": "IE"})
    assert response.status_code == 302
    saved_dpa = saved(token)["dpa"]
    assert saved_dpa["scc_governing_law"] == "IE" and "scc_forum" not in saved_dpa  # the courts left to the same state
    assert saved_dpa["terms_confirmed"] is True
    body = client.get(f"/d/{token}/dpa/download/markdown/").content.decode()
    assert "The clauses are governed by the law of Ireland." in body and "courts of Ireland" in body


def test_scc_fields_are_not_shown_to_a_host_inside_the_eea_or_in_an_adequate_country(client, allru_answers):
    token = new_draft(client, allru_answers)  # All-Ru is in the UK, which the EU finds adequate
    html = text(client.get(url(token, "dpa")))
    assert "Standard contractual clauses with customers in the EU" not in html and "scc_governing_law" not in html
    assert submit(client, token, "dpa").status_code == 302
    assert "scc_governing_law" not in (saved(token).get("dpa") or {})


def test_review_without_a_dpa_shows_what_a_russian_hosts_customers_need(client, allru_answers):
    allru_answers["jurisdictions"] = ["ru"]  # hosts customer data under a law the agreement does not cover
    token = new_draft(client, allru_answers)
    html = text(client.get(url(token, "review"))).split('id="dpa-heading"')[1]  # the DPA's section
    assert 'id="dpa-absent"' in html and "Art. 6 part 3" in html
    assert "What your customers need instead" in html
    assert "152-FZ Art. 6 part 3" in html and "problem in your answers" in html
    assert "/dpa/download/" not in html


def test_dpa_step_refuses_an_objection_window_as_long_as_the_notice(client, allru_answers):
    # counsel round 2, n11: the window must close before the change, leaving time for a solution
    token = new_draft(client, allru_answers)
    response = submit(client, token, "dpa", {"subprocessor_notice_days": "20", "objection_days": "20"})
    assert response.status_code == 200
    assert "Make this fewer than 20 days, the notice you give" in text(response)
    assert "dpa" not in saved(token)
