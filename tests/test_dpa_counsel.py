"""Counsel's review of the customer DPA (/work/review/dpa-counsel.md, issue 13): each finding fixed
is pinned here by the generated agreement's text or its compliance report."""
import copy
import datetime
from pathlib import Path

import pytest
import yaml

from generator import dpa, dpa_report
from generator.answers import load_answers_file
from generator.answers.loader import load_document
from generator.document import plain_text
from generator.render import render
from tests.conftest import ALLRU_ANSWERS
from tests.factories import answers_from, markdown_tables

EXAMPLES = Path(__file__).resolve().parent.parent / "docs" / "examples"


def _example(name):
    result = load_answers_file(EXAMPLES / f"{name}.yaml")
    assert result.ok, result.errors
    return result.answers


def _raw(name):
    """An example's answers as the document (a dict), to change before loading (answers_from)."""
    return yaml.safe_load((EXAMPLES / f"{name}.yaml").read_text(encoding="utf-8"))


def _text(answers):
    return " ".join(plain_text(dpa.build_dpa(answers)).split())


def _item(answers, element_id):
    return next(i for i in dpa_report.report(answers, dpa.build_dpa(answers)).items if i.element_id == element_id)


def _saved_dpa_step(name):
    """The example as if its business saved the Customer DPA step, keeping the measures it suggests
    from the security step (dpa.measures; counsel round 2, M3)."""
    from generator.answers.model import SECURITY_MEASURES
    base = load_answers_file(EXAMPLES / f"{name}.yaml").document
    measures = [m for m in base["security"].get("measures", ()) if m in SECURITY_MEASURES]
    return answers_from(base, dpa={**(base.get("dpa") or {}), "measures": measures})


def _with_data(base, item_id, **item):
    return [d for d in base["data"] if d["id"] != item_id] + [{"id": item_id, **item}]


# C1: the deletion promise must not contradict backups that outlive it (Art. 28(3)(g)).
def test_c1_backups_longer_than_the_deletion_period_are_stated_with_their_lifetime():
    text = _text(_example("allcot"))  # hosted content 30 days, backups 12 months
    assert "every copy we hold, 30 days after the service ends" not in text
    assert "We delete it 30 days after the service ends" in text
    assert "Copies in our backups are deleted when those backups expire, at most 12 months after they are made" in text
    assert _item(_example("allcot"), "gdpr28.deletion").status == "met"


def test_c1_backups_within_the_deletion_period_are_stated_with_their_lifetime_too():
    # round 2, M4: the answers do not say backing up stops when a service ends, so a copy made just
    # before deletion outlives it; whenever customers' data is backed up the backups' wording applies
    text = _text(_example("munich-host"))  # hosted content 30 days, backups 14 days
    assert "every copy we hold" not in text
    assert "Copies in our backups are deleted when those backups expire, at most 14 days after they are made" in text
    assert _item(_example("munich-host"), "gdpr28.deletion").status == "met"


def test_c1_without_any_backups_the_single_promise_stands():
    doc = copy.deepcopy(ALLRU_ANSWERS)
    doc["security"]["measures"] = [m for m in doc["security"]["measures"] if m != "backups"]
    doc["data"] = [d for d in doc["data"] if d["id"] != "backups"]
    doc["services"] = [s for s in doc["services"] if s != "backups"]
    text = _text(answers_from(doc))
    assert "every copy we hold" in text and "Copies in our backups" not in text


def test_c1_backups_kept_with_no_end_are_a_problem_in_the_report():
    answers = answers_from(ALLRU_ANSWERS, data=_with_data(ALLRU_ANSWERS, "backups", retention="indefinite"))
    text = _text(answers)
    assert "every copy we hold" not in text
    item = _item(answers, "gdpr28.deletion")
    assert item.status == "problem" and "backups" in item.advice


# C3: "we use no sub-processors" is a contractual statement: only with the answer behind it.
def test_c3_no_subprocessors_is_said_only_when_the_answers_confirm_it():
    answers = _example("us-reseller-eu")  # a reseller naming no upstream host
    text = _text(answers)
    assert "we use no sub-processors" not in text and "own equipment and staff" not in text
    assert "not yet named the sub-processors" in text
    item = _item(answers, "gdpr28.subprocessors")
    assert item.status == "problem" and "dpa.no_subprocessors_confirmed" in item.advice
    confirmed = answers_from(ALLRU_ANSWERS, dpa={"no_subprocessors_confirmed": True})
    assert "Today we use no sub-processors for your data" in _text(confirmed)
    assert _item(confirmed, "gdpr28.subprocessors").status == "met"


def test_c3_the_confirmation_is_irrelevant_when_subprocessors_are_listed():
    answers = _example("munich-host")
    assert "Hetzner" in _text(answers) and "not yet named the sub-processors" not in _text(answers)
    assert _item(answers, "gdpr28.subprocessors").status == "met"


# M1: the hours answered for telling customers of a breach are printed; 72 is never carried across.
# Round 2, n9: only the DPA's own answer is printed (the security step's figure is a suggestion in the
# DPA step), and without one "without undue delay" stands with the hours as a to-do, not a problem.
def test_m1_answered_customer_breach_hours_below_72_are_printed():
    base = load_answers_file(EXAMPLES / "allcot.yaml").document
    answers = answers_from(base, dpa={"breach_notice_hours": 48})  # what the DPA step saves from its suggestion
    assert "without undue delay and in any case within 48 hours of becoming aware of it" in _text(answers)
    assert _item(answers, "gdpr28.breach_notice").status == "met"
    assert _item(answers, "gdpr28.breach_hours").status == "met"


def test_round2_n9_the_security_steps_hours_are_never_read_as_the_customers():
    raw = _raw("allcot")  # security.breach_notice_hours: 48; without its dpa.breach_notice_hours (round 3, n1)
    raw["dpa"].pop("breach_notice_hours")
    answers = answers_from(raw)
    text = _text(answers)
    assert "within 48 hours" not in text and "we tell you without undue delay, by email" in text
    # the worked example states the seed's 48 hours to customers in the DPA's own answer (round 3, n1)
    assert "within 48 hours" in _text(_example("allcot"))
    item = _item(answers, "gdpr28.breach_hours")
    assert item.status == "action" and "WP250rev.01" in item.advice and "its own 72 hours start" in item.advice
    assert _item(answers, "gdpr28.breach_notice").status == "met"


def test_m1_the_controllers_72_hours_are_not_carried_across_and_the_report_lists_the_hours_as_a_to_do():
    answers = _example("munich-host")  # security.breach_notice_hours: 72, the authority's window
    text = _text(answers)
    assert "within 72 hours" not in text and "we tell you without undue delay" in text
    assert _item(answers, "gdpr28.breach_notice").status == "met"
    item = _item(answers, "gdpr28.breach_hours")
    assert item.status == "action" and "Customer DPA step" in item.advice
    given = answers_from(ALLRU_ANSWERS, dpa={"breach_notice_hours": 24})
    assert "in any case within 24 hours" in _text(given)
    assert _item(given, "gdpr28.breach_notice").status == "met"
    too_long = answers_from(ALLRU_ANSWERS, dpa={"breach_notice_hours": 72})
    assert _item(too_long, "gdpr28.breach_notice").status == "problem"


def test_round2_n9_the_uk_list_has_breach_items():
    answers = _example("all-ru")  # eu and uk, no hours to customers
    assert _item(answers, "ukgdpr28.breach_notice").status == "met"
    assert _item(answers, "ukgdpr28.breach_hours").status == "action"
    too_long = answers_from(ALLRU_ANSWERS, dpa={"breach_notice_hours": 96})
    item = _item(too_long, "ukgdpr28.breach_notice")
    assert item.status == "problem" and "well under 72" in item.advice


# C2: the SCCs between an EU customer and a host outside the EEA are incorporated with their
# module, options and annexes, or said plainly not to be while their governing law is unanswered.
def test_c2_the_sccs_are_incorporated_with_module_options_and_annexes():
    answers = _example("us-reseller-eu")  # dpa.scc_governing_law: IE, no forum (the same state)
    text = _text(answers)
    assert "The clauses are concluded as a separate document" not in text
    assert ("this agreement incorporates the standard contractual clauses in the Annex to Commission Implementing "
            "Decision (EU) 2021/914, unaltered, with you as data exporter and us as data importer") in text
    assert "Module Two (controller to processor) applies where you are the controller of the data" in text
    assert "Module Three (processor to processor) where you are yourself a processor of it for someone else" in text
    assert "Clause 9(a): Option 2, general written authorisation" in text and "at least 30 days in advance" in text
    assert "Clause 11(a) applies without its optional wording" in text
    assert "Clause 13(a): the competent supervisory authority is the one responsible for your compliance" in text
    assert "under its Article 3(2) and you have appointed a representative under its Article 27(1)" in text
    assert "Clause 17: Option 1. The clauses are governed by the law of Ireland." in text
    assert "Clause 18(b): disputes arising from the clauses are resolved by the courts of Ireland." in text
    assert "Annex I.A (the parties)" in text and "Annex I.C" in text and "Annex II (technical" in text
    assert "the transfer is continuous" in text and "the place of processing is the United States" in text
    assert "Annex III (list of sub-processors)" in text
    assert _item(answers, "gdpr28.scc_conclusion").status == "met"


def test_c2_the_answered_notice_days_and_a_separate_forum_are_used():
    base = load_answers_file(EXAMPLES / "us-reseller-eu.yaml").document
    answers = answers_from(base, dpa={"scc_governing_law": "IE", "scc_forum": "NL", "subprocessor_notice_days": 45})
    text = _text(answers)
    assert "governed by the law of Ireland" in text and "resolved by the courts of the Netherlands" in text
    assert "at least 45 days in advance" in text


def test_c2_without_the_governing_law_the_clauses_are_not_incorporated_and_the_report_says_so():
    base = load_answers_file(EXAMPLES / "us-reseller-eu.yaml").document
    answers = answers_from(base, dpa={})
    text = _text(answers)
    assert "this agreement incorporates the standard contractual clauses" not in text
    assert "It is protected as follows: the European Commission's standard contractual clauses" not in text
    assert "The standard contractual clauses for your own disclosure of the data to us are not yet incorporated" in text
    assert "this agreement gives that disclosure no transfer mechanism under the GDPR" in text
    item = _item(answers, "gdpr28.scc_conclusion")
    assert item.status == "problem" and "dpa.scc_governing_law" in item.advice and "Clause 17" in item.advice


def test_c2_the_governing_law_and_forum_must_be_an_eu_or_eea_state():
    base = load_answers_file(EXAMPLES / "us-reseller-eu.yaml").document
    for key in ("scc_governing_law", "scc_forum"):
        doc = dict(copy.deepcopy(base), dpa={"scc_governing_law": "IE", key: "US"})
        result = load_document(doc)
        assert not result.ok and result.errors[0].path == f"dpa.{key}", result.errors
        assert "not a member state of the EU or the EEA" in result.errors[0].message
    assert load_document(dict(copy.deepcopy(base), dpa={"scc_governing_law": "NO"})).ok  # an EEA state outside the EU


def test_c2_no_scc_action_for_a_host_inside_the_eea():
    rep = dpa_report.report(_example("munich-host"), dpa.build_dpa(_example("munich-host")))
    assert "gdpr28.scc_conclusion" not in {i.element_id for i in rep.items}


# M3/M4: the CCPA terms name the specific business purposes and are credited to the California clause.
def test_m3_m4_california_names_specific_purposes_cooperation_and_security_and_gets_the_credit():
    answers = _example("us-reseller-eu")
    text = _text(answers)
    assert "business purposes of providing the services this agreement describes" not in text
    assert "providing storage" in text and "1798.140(e)(5)" in text and "1798.140(e)(2)" in text
    assert "we help you respond to consumer requests" in text
    assert "reasonable security procedures and practices" in text and "1798.81.5" in text
    rep = dpa_report.report(answers, dpa.build_dpa(answers))
    for element_id in ("ccpa7051.purpose", "ccpa7051.limits", "ccpa7051.compliance"):
        item = next(i for i in rep.items if i.element_id == element_id)
        assert item.status == "met" and item.clause_id.startswith("regional_terms.california"), item


# m1: FADP Art. 9(1)(a) wording only in the Swiss block.
def test_m1_fadp_wording_only_where_the_fadp_is_chosen():
    assert "as you yourself would be permitted to" not in _text(_example("munich-host"))  # EU only
    allcot = _text(_example("allcot"))
    assert allcot.count("as you yourself would be permitted to") == 1 and "FADP" in allcot
    assert _item(_example("allcot"), "fadp9.assignment").clause_id == "regional_terms.switzerland"


# m2: "either" only after the registries sentence it refers back to.
def test_m2_either_has_an_antecedent():
    allcot = _text(_example("allcot"))  # sells no domains: no registries sentence
    assert "Our payment providers are not sub-processors:" in allcot and "sub-processors either" not in allcot
    munich = _text(_example("munich-host"))
    assert "Domain registries and registrars" in munich and "Our payment providers are not sub-processors either" in munich


# m4: the annex names Article 32(1) of each GDPR without the policy's long list of laws.
def test_m4_annex_structure_sentence_is_not_garbled():
    text = _text(_example("all-ru"))  # eu and uk
    assert "grouped as Article 32(1) of the GDPR (and of the UK GDPR) and Annex III" in text
    assert "and, in the UK, the UK GDPR and the Data Protection Act 2018 and Annex III" not in text


# m5: catalogue labels are lower-cased inside running text.
def test_m5_service_labels_in_running_text_are_lower_case():
    text = _text(_example("munich-host"))
    assert "Services we manage, where these measures cover the whole system: shared hosting" in text


# M5 (first part): every DPA says where the data is processed, from storage_locations.
def test_m5_the_dpa_states_where_the_data_is_stored():
    assert "The servers on which we store your data are located in the European Economic Area" in _text(_example("all-ru"))
    assert "The servers on which we store your data are located in Germany" in _text(_example("munich-host"))
    elsewhere = answers_from(ALLRU_ANSWERS, storage_locations=["FR"])
    assert "The servers on which we store your data are located in France" in _text(elsewhere)


# M7: the customer's disclosure to a host in an adequate country names the country and the decision.
def test_m7_adequacy_names_the_country_and_the_decision():
    allcot = _text(_example("allcot"))
    assert "Adequacy decision: the European Commission has decided that the country" not in allcot
    assert "the European Commission has decided that Switzerland protects personal data adequately (Commission Decision 2000/518/EC; GDPR Art. 45)" in allcot
    allru = _text(_example("all-ru"))
    assert "the European Commission has decided that the United Kingdom protects personal data adequately (Commission Implementing Decision (EU) 2021/1772" in allru


# m10: inspections reach our own premises; a sub-processor's data centres through its audit reports.
def test_m10_inspection_covers_our_own_premises_and_subprocessors_by_their_reports():
    for name in ("munich-host", "allcot"):
        text = _text(_example(name))
        assert "inspect the premises and systems where we process your data" not in text
        assert "inspect our own premises and systems where we process your data" in text
        assert "for a sub-processor's data centres, its independent audit reports" in text


# m6: the EU representative is named in the DPA when the answers name one (Art. 27, 30(2), 31).
def test_m6_the_eu_representative_is_named():
    text = _text(_example("us-reseller-eu"))
    assert "Our representative in the European Union" in text
    assert "Our representative in the European Union" not in _text(_example("munich-host"))


# M8 and m3: mail logs are the host's own traffic data, not processor data; lists have no near-duplicates.
def test_m8_m3_mail_logs_are_not_processor_data_and_lists_are_self_contained():
    text = _text(_example("munich-host"))  # German e-mail host
    assert "Mail server logs" not in text and "mail server logs" not in text
    assert "secrecy of telecommunications" in text and "TDDDG" in text
    assert "People who write to them or receive email from them" not in text
    assert "Users of the websites and applications you run" not in text
    assert "Email messages and attachments" not in text
    assert "secrecy of telecommunications" not in _text(_example("allcot"))  # Swiss, no e-mail hosting


# M5 (rest): the UK mechanism for a UK host's storage in the EEA is printed, and the UK block points
# to a UK mechanism only when one is printed.
def test_m5_the_uk_mechanism_for_storage_in_the_eea_is_named():
    text = _text(_example("all-ru"))  # a UK host storing in the EEA, no sub-processors
    assert ("Under the UK General Data Protection Regulation (UK GDPR) and the Data Protection Act 2018, we store "
            "your data in the European Economic Area, outside the United Kingdom. Transfers from the United Kingdom "
            "to the EEA states are approved by UK regulations") in text
    # second round, n6: the law in force first, no present-tense s. 17A
    assert ("they are treated as approved by regulations made under UK GDPR Art. 45A (Data Protection Act 2018 "
            "Sch. 21 para. 4(1), as amended by the Data (Use and Access) Act 2025 Sch. 9 para. 25 from "
            "5 February 2026)") in text
    assert "s. 17A" not in text
    assert "A transfer of the data out of the United Kingdom is protected by the UK mechanism named for it" in text
    assert "the supervisory authority is the Information Commissioner" in text  # m9: no commencement date found


def test_m5_the_uk_block_names_no_mechanism_when_none_is_printed():
    # no sub-processors, confirmed (second round, M1: "none receives" needs that confirmation)
    at_home = answers_from(ALLRU_ANSWERS, storage_locations=["GB"], dpa={"no_subprocessors_confirmed": True})
    text = _text(at_home)
    assert "we store your data in" not in text
    assert "none of our sub-processors receives your data outside the United Kingdom" in text
    assert "protected by the UK mechanism" not in text
    assert "the supervisory authority is the Information Commissioner" in text


def test_m5_every_dpa_states_where_the_data_is_stored_and_the_sccs_annex_points_there():
    for name in ("all-ru", "allcot", "munich-host", "us-reseller-eu", "lisbon-host"):
        assert "The servers on which we store your data are located in" in _text(_example(name)), name
    assert "the place of processing is the United States, as under \"Where we process your data\"" in _text(
        _example("us-reseller-eu"))


# M6: a Swiss host's mechanisms per destination, and module 3 concluded as a non-EEA exporter.
def test_m6_swiss_exporter_concludes_module_3_under_art_3_2_with_its_clause_13_authority():
    text = _text(_example("allcot"))
    assert "where we transfer the data from the EEA" not in text
    assert ("DigitalOcean in the United States: standard contractual clauses: our contract with the sub-processor "
            "includes the European Commission's standard contractual clauses (Implementing Decision (EU) 2021/914), "
            "module 3 (processor to processor), which we conclude as data exporter established outside the EEA to "
            "which the GDPR applies for your data (GDPR Art. 3(2))") in text
    # named since round 2, n1: the Land authority of the representative's Land (Berlin)
    assert ("under their Clause 13(a) the competent supervisory authority is the Berlin Commissioner for Data "
            "Protection and Freedom of Information, the supervisory authority of the German Land where our "
            "representative in the European Union is established (GDPR Art. 27; section 40") in text


def test_m6_mechanisms_are_given_per_destination_not_mixed():
    answers = _example("allcot")
    text = _text(answers)
    # Germany's adequacy is in the storage paragraph, not repeated as a bullet (round 2, n5)
    assert "we store your data in Germany, outside Switzerland. The Swiss Federal Council lists Germany" in text
    assert "DigitalOcean in the United States: standard contractual clauses with Swiss adaptations" in text
    table = next(t for t in markdown_tables(render(dpa.build_dpa(answers), "markdown")) if t and "Sub-processor" in t[0])
    cell = table[0]["Transfer mechanism"]
    assert cell.startswith("FADP: adequate protection (Federal Council list) for Germany and standard contractual "
                           "clauses recognised by the FDPIC for the United States; GDPR: standard contractual clauses")


def test_m6_an_eea_host_concludes_module_3_as_exporter_without_a_condition():
    # Portugal; the AWS contract is with its US company, which holds the data in the United States
    raw = _raw("lisbon-host")
    raw["processors"] = [{"id": "hetzner", "country": "DE"},
                         {"id": "aws", "entity": "Amazon Web Services, Inc.", "country": "US"}]
    text = _text(answers_from(raw))
    assert ("Amazon Web Services (AWS) in the United States: standard contractual clauses: our contract with the "
            "sub-processor includes the European Commission's standard contractual clauses (Implementing Decision "
            "(EU) 2021/914), module 3 (processor to processor), with us as data exporter and the sub-processor as "
            "data importer") in text
    assert "Art. 3(2)" not in text


# M10: the LGPD block in a worked example: breach hours for the controller's 3 working days, the
# ANPD's clauses incorporated in full, the ANPD's own adequacy decision.
def test_m10_lgpd_breach_line_states_hours_for_the_controllers_three_working_days():
    answers = _example("lisbon-host")  # dpa.breach_notice_hours: 24, jurisdictions eu + br
    text = _text(answers)
    assert ("For data protected by Brazil's LGPD, our notice of a security incident reaches you within 24 hours of "
            "our becoming aware of it") in text
    assert "to the ANPD and to them within 3 working days of becoming aware of it" in text
    assert _item(answers, "lgpd.breach").status == "met"
    no_hours = answers_from(load_answers_file(EXAMPLES / "lisbon-host.yaml").document, dpa={})
    assert "we tell you of a security incident as early as we can" in _text(no_hours)
    item = _item(no_hours, "lgpd.breach")
    assert item.status == "problem" and "3 working days" in item.advice
    assert "lgpd.breach" not in {i.element_id for i in dpa_report.report(_example("allcot"), dpa.build_dpa(
        _example("allcot"))).items}  # only where the LGPD is chosen


def test_m10_anpd_clauses_in_full_and_the_anpds_own_adequacy():
    text = _text(_example("lisbon-host"))
    # AWS's US leg is its own onward transfer (round 2, M2): the ANPD clauses sit in its contract
    assert ("Amazon Web Services (AWS) in the United States: ANPD standard contractual clauses: the sub-processor we "
            "contract with is established in Luxembourg, and its contract with us incorporates the standard "
            "contractual clauses approved by the ANPD, in full and without alteration") in text
    assert "Resolution CD/ANPD No. 19/2024" in text
    # Hetzner's and AWS's German storage: the storage paragraph's adequacy, no bullet repeating it (round 2, n5)
    assert "Hetzner and Amazon Web Services (AWS) in Germany:" not in text
    assert "we store your data in Germany, outside Brazil." in text
    assert ("Brazil's data protection authority has recognised the European Union, with the other EEA states, as "
            "protecting personal data adequately (LGPD Art. 33 I; Resolution CD/ANPD No. 32/2026)") in text
    assert "has recognised the country as protecting" not in text
    assert "Hetzner in Germany:" not in text  # the storage paragraph for Germany says it (round 2, n5)


# M2: the Annex describes the customer's hosted data, not the host's own systems, and measures come
# only from answers or the services sold; each letter of Art. 32(1) is checked.
def test_m2_annex_measures_speak_of_hosted_data_not_the_hosts_own_systems():
    text = _text(_saved_dpa_step("munich-host"))
    assert "customer, billing and support databases" not in text and "in our own systems" not in text
    assert "The disks holding your data on the services we manage are encrypted." in text
    assert "On shared hosting, each customer's account is kept apart from the others'" in text  # shared hosting sold
    assert "On shared hosting and email hosting, we keep the operating system and the software we run for you up to date" in text
    assert "delete each copy at most 14 days after it is made, and restore your data from them at your request" in text  # backups P14D
    assert "The physical security of the data centres where Hetzner holds your data is our sub-processor's" in text


def test_m2_measures_are_never_asserted_without_an_answer_or_a_service():
    allcot = _text(_saved_dpa_step("allcot"))  # measures: background checks, training, access control, patching; no encryption
    assert "encrypted" not in allcot.split("Annex: technical and organisational measures")[-1]
    assert "delete each copy at most 12 months after it is made" in allcot  # backup service and managed WordPress, P12M
    assert "each customer's account is kept apart" not in allcot  # no shared hosting sold
    assert "The physical security of the data centres where DigitalOcean holds your data" in allcot
    bare = answers_from(ALLRU_ANSWERS, security={"measures": []}, services=["vps"], processors=[],
                        dpa={"no_subprocessors_confirmed": True, "measures": []})
    assert "Annex: technical and organisational measures" in _text(bare)
    annex = _text(bare).split("Annex: technical and organisational measures")[-1]
    for asserted in ("encrypted", "kept apart", "security patches", "physical security", "copies of your data"):
        assert asserted not in annex, asserted


def test_m2_the_report_warns_for_each_art32_letter_without_a_hosted_data_measure():
    allcot = _saved_dpa_step("allcot")
    assert _item(allcot, "gdpr32.encryption").status == "problem"
    assert "encrypts your customers' data" in _item(allcot, "gdpr32.encryption").advice
    for element_id in ("gdpr32.resilience", "gdpr32.restore", "gdpr32.testing"):
        assert _item(allcot, element_id).status == "met", element_id
    munich = _saved_dpa_step("munich-host")  # no vulnerability management ticked
    assert _item(munich, "gdpr32.testing").status == "problem"
    assert _item(munich, "gdpr32.encryption").status == "met"
    # the backup service alone meets (c) and only through the answers' backups
    no_backups = answers_from(ALLRU_ANSWERS, dpa={"measures": ["tls"]})
    assert _item(no_backups, "gdpr32.restore").status == "problem"
    with_service = answers_from(ALLRU_ANSWERS, dpa={"measures": ["tls"]},
                                services=[*ALLRU_ANSWERS["services"], "backups"])
    assert _item(with_service, "gdpr32.restore").status == "met"


# m7: the acceptance mode and the 30/14/30-day periods are defaults until the business confirms them.
def test_m7_unconfirmed_terms_are_a_problem_and_the_offer_stays_to_do():
    for name in ("munich-host", "allcot", "all-ru", "us-reseller-eu"):  # no answers file chose its terms
        answers = _example(name)
        rep = dpa_report.report(answers, dpa.build_dpa(answers))
        problems = [i for i in rep.items if i.element_id.endswith(".terms_confirmed")]
        assert problems and {i.law for i in problems} == set(answers.jurisdictions), name
        for item in problems:
            assert item.status == "problem" and item.step == "dpa"
            assert "Confirm the acceptance mode and periods in the Customer DPA step" in item.advice
    munich = _example("munich-host")
    assert _item(munich, "gdpr28.offer").status == "action"
    confirmed = answers_from(ALLRU_ANSWERS, dpa={"terms_confirmed": True})
    assert _item(confirmed, "gdpr28.terms_confirmed").status == "met"
    assert _item(confirmed, "ukgdpr28.terms_confirmed").status == "met"
    assert _item(confirmed, "gdpr28.offer").status == "action"  # concluding it stays outside the agreement


# M9: hosts under a law the agreement does not cover are told what their customers need instead, in
# the refusal, the DPA report and the review; a Quebec enterprise hears of the Quebec Act, not PIPEDA.
def test_m9_russian_hosts_customers_need_a_152fz_instruction():
    for name in ("russia-host", "wisecp-host"):
        reason = dpa.why_not_available(_example(name))
        assert "not yet written" not in reason
        assert "instruction with the terms of Art. 6 part 3" in reason and "Art. 18 part 5 localisation" in reason
        assert "Art. 19 security" in reason
        # round 2, n8: the terms 266-FZ added, and incidents in the law's own words
        assert "the list of personal data" in reason and "the Art. 18.1 measures" in reason
        assert "documents showing compliance on request" in reason
        assert "notifying the operator of incidents under Art. 21 part 3.1" in reason and "breach help" not in reason
        [item] = dpa_report.uncovered_items(_example(name))
        assert item.status == "problem" and item.element_id == "ru.processing_instruction"
        assert item.citation.startswith("152-FZ Art. 6 part 3") and "266-FZ" in item.citation
        assert "Your customers (operators)" in item.advice


def test_m9_a_quebec_enterprise_is_told_of_section_18_3_and_every_other_applicable_entry():
    quebec = _example("quebec-host")  # storage_locations: [CA], no province
    reason = dpa.why_not_available(quebec)
    assert "s. 18.3 of Quebec's Act respecting the protection of personal information in the private sector" in reason
    # round 2, n8: every applicable entry, not the first match - s. 17 where the answers cannot place
    # the data in Quebec, and PIPEDA for customers elsewhere in Canada
    assert "your answers do not say in which province the data is" in reason
    assert "Under PIPEDA your customers subject to it (for a Quebec host, those elsewhere in Canada)" in reason
    items = dpa_report.uncovered_items(quebec)
    assert [(i.element_id, i.status) for i in items] == [
        ("quebec.processing_contract", "problem"), ("quebec.storage_province_unknown", "action"),
        ("pipeda.processing_contract", "problem")]
    assert items[0].citation == "Quebec private-sector Act (P-39.1) s. 18.3" and "written contract" in items[0].advice
    assert items[1].citation == "Quebec private-sector Act (P-39.1) s. 17"
    abroad = answers_from(load_answers_file(EXAMPLES / "quebec-host.yaml").document, storage_locations=["CA", "FR"])
    assert [i.element_id for i in dpa_report.uncovered_items(abroad)] == [
        "quebec.processing_contract", "quebec.communication_outside_quebec", "pipeda.processing_contract"]
    assert "You store your customers' data outside Canada" in dpa.why_not_available(abroad)
    elsewhere = answers_from(ALLRU_ANSWERS, jurisdictions=["ca"], business={**ALLRU_ANSWERS["business"], "country": "CA", "region": "CA-ON"})
    assert "PIPEDA" in dpa.why_not_available(elsewhere) and "18.3" not in dpa.why_not_available(elsewhere)
    [item] = dpa_report.uncovered_items(elsewhere)
    assert item.element_id == "pipeda.processing_contract" and "contractual or other means" in item.advice


def test_round2_n8_the_refusal_never_prints_a_vocabulary_key():
    for name in ("russia-host", "wisecp-host", "quebec-host", "australia-host"):
        reason = dpa.why_not_available(_example(name))
        assert reason.startswith("The customer DPA is written for the GDPR, the UK GDPR"), name
        assert "none_covered" not in reason and "not_written" not in reason, name


def test_m9_australia_needs_no_processor_contract_and_it_is_not_called_a_gap():
    australia = _example("australia-host")
    reason = dpa.why_not_available(australia)
    assert "requires no contract" in reason and "good practice" in reason and "not yet written" not in reason
    [item] = dpa_report.uncovered_items(australia)
    assert item.status == "action" and "No contract with you is required" in item.advice
    assert "APP 11" in item.advice and "APP 8" in item.advice


def test_m9_a_covered_host_also_under_152fz_gets_the_problem_in_its_dpa_report():
    answers = answers_from(ALLRU_ANSWERS, jurisdictions=["eu", "ru"])
    items = [i for i in dpa_report.report(answers, dpa.build_dpa(answers)).items if i.law == "ru"]
    assert [(i.element_id, i.status) for i in items] == [("ru.processing_instruction", "problem")]


# m8 (first half): the agreement says how it changes - only with notice, and never to the customer's cost unawares.
# Second round, M6: a reducing change binds a customer only when it accepts it, not by its silence.
def test_m8_m6_changes_to_the_agreement_need_notice_and_a_reducing_change_needs_the_customers_acceptance():
    for name in ("munich-host", "allcot", "all-ru", "us-reseller-eu"):
        text = _text(_example(name))
        assert "We change this agreement only by telling you at least 30 days before the change takes effect, by email" in text
        assert ("A change that would reduce that protection takes effect for you only when you accept it; until you "
                "do, the version you accepted continues to apply to you until the services it covers end or either "
                "of us ends them under our main terms.") in text
        assert "Changes to our sub-processors follow the section on sub-processors, not this one." in text
        assert "you may end the services it affects before it takes effect" not in text  # leaving is not the price of refusing
    shorter = answers_from(ALLRU_ANSWERS, changes={"notice_days": 45, "notify_by": ["email"]})
    assert "only by telling you at least 45 days before the change takes effect" in _text(shorter)


def test_m2_a_host_selling_only_unmanaged_servers_promises_nothing_about_services_it_manages():
    answers = answers_from(ALLRU_ANSWERS, services=["vps"], dpa={"measures": ["encryption_at_rest", "tls", "mfa_for_staff"]})
    annex = _text(answers).split("Annex: technical and organisational measures")[-1]
    assert "the services we manage" not in annex
    assert "Staff accounts that can reach your data use multi-factor authentication." in annex
    assert _item(answers, "gdpr32.encryption").status == "problem"
    managed = answers_from(ALLRU_ANSWERS, services=["vps", "shared_hosting"], dpa={"measures": ["encryption_at_rest"]})
    assert "The disks holding your data on the services we manage are encrypted." in _text(managed)


def test_m9_a_business_that_hosts_nothing_is_told_nothing_about_its_customers_contracts():
    alexrust = _example("alexrust")  # Russian, sells no hosting
    assert "not their processor" in dpa.why_not_available(alexrust)
    assert dpa_report.uncovered_items(alexrust) == ()


# --- second round, the public side (M5, M6 delivery, M1 public part, n11 second half) ----------------

from generator.web import services as drafts  # noqa: E402 - the public-side tests below only


def _notice_setup(settings, tmp_path):
    from django.core.cache import cache

    from tests import test_public_subprocessors as pub

    settings.HOSTPOLICY_TODAY = pub.TODAY.isoformat()
    settings.HOSTPOLICY_CACHE_DIR = tmp_path / "cache"
    cache.clear()
    return pub


def _host(allru_answers):
    allru_answers["processors"].append({"id": "hetzner"})
    allru_answers["dpa"] = {"subprocessor_notice_days": 45, "objection_days": 20}
    return allru_answers


def _publish_new_subprocessor(client, pub, answers, **dpa_answers):
    draft, token = pub.published(client, answers)
    pub.add_processor(draft, "ovhcloud")
    if dpa_answers:
        changed = copy.deepcopy(draft.answers)
        changed["dpa"].update(dpa_answers)
        assert drafts.draft_save_answers(draft, changed) == ()
    # a change of the DPA's own text asks whether it reduces protection (round 3, n5): here it does
    reduces = {"dpa_change_reduces": "yes"} if dpa_answers else {}
    messages = pub.publish(client, token, summary="We add OVHcloud.", effective_on="2027-01-09", **reduces)
    assert messages[0].startswith("Published as version 2"), messages
    return draft, token, messages


@pytest.mark.django_db(transaction=True)
def test_r2_m5_a_new_subprocessor_leaves_a_required_notice_to_every_customer(client, settings, tmp_path, allru_answers):
    from django.core import mail

    from generator.models import PublishedVersion

    pub = _notice_setup(settings, tmp_path)
    draft, token, messages = _publish_new_subprocessor(client, pub, _host(allru_answers))
    assert "Required: email the notice shown on this page to every customer's account address" in messages[0]
    assert PublishedVersion.objects.get(number=2).dpa_changes == []  # a sub-processor change is not a DPA change
    version_page = pub.text_of(pub.page(client, f"/d/{token}/versions/2/"))
    assert "Required: email this notice to every customer" in version_page
    assert "email the text below to every customer's account address" in version_page
    assert "Subject: All-Ru: our sub-processors change on 9 January 2027" in version_page
    download = client.get(f"/d/{token}/versions/2/notice.txt")
    assert download["Content-Type"] == "text/plain; charset=utf-8"
    notice_text = download.content.decode()
    assert notice_text.startswith("Subject: All-Ru: our sub-processors change on 9 January 2027\n\nHello,\n\n"
                                  "This notice is dated 25 November 2026; the dates below count from that day.\n\n"
                                  "All-Ru is changing the sub-processors that process the data you store with it.")
    assert "- OVHcloud\n" in notice_text and "You may object until 15 December 2026" in notice_text  # if sent today
    # the publish box says it plainly
    review = pub.text_of(pub.page(client, f"/d/{token}/review/"))
    assert "your DPA promises notice by email to every customer's account address; publishing alone is not that notice" in review

    # the list's subscribers get the same text, once the business records the day it sent it
    pub.subscribe_and_confirm(client, "customer@example.org")
    mail.outbox.clear()
    pub.run_worker()
    assert mail.outbox == []
    pub.record_notice(client, token, 2, "2026-11-25")
    pub.run_worker()
    [email] = mail.outbox
    assert email.subject == "All-Ru: our sub-processors change on 9 January 2027"
    assert email.body.startswith(notice_text.split("\n\n", 1)[1])  # one home for the text
    recorded = pub.text_of(pub.page(client, f"/d/{token}/versions/2/"))
    assert "Notice to every customer: sent on 25 November 2026" in recorded and "Record the date sent" not in recorded


@pytest.mark.django_db(transaction=True)
def test_r2_m5_the_day_sent_is_validated_and_what_was_typed_is_kept(client, settings, tmp_path, allru_answers):
    from generator.models import PublishedVersion

    pub = _notice_setup(settings, tmp_path)
    draft, token, _ = _publish_new_subprocessor(client, pub, _host(allru_answers))
    assert pub.record_notice(client, token, 2, "2026-11-24") == [
        "Not recorded: Date you sent the notice: it cannot be before the version was published (25 November 2026)."]
    assert 'value="2026-11-24"' in pub.page(client, f"/d/{token}/versions/2/")
    assert pub.record_notice(client, token, 2, "2026-11-26") == [
        "Not recorded: Date you sent the notice: it cannot be in the future (today is 25 November 2026)."]
    assert pub.record_notice(client, token, 2, "soon") == [
        "Not recorded: Date you sent the notice: enter a date as YYYY-MM-DD."]
    assert PublishedVersion.objects.get(number=2).notice_sent_on is None
    pub.record_notice(client, token, 2, "2026-11-25")
    assert pub.record_notice(client, token, 2, "2026-11-25") == [
        "Not recorded: Date you sent the notice: already recorded as 25 November 2026."]
    # version 1 changed nothing anyone accepted: there is nothing to record
    assert pub.record_notice(client, token, 1, "2026-11-25") == [
        "Not recorded: This version needs no notice to your customers."]


@pytest.mark.django_db(transaction=True)
def test_r2_m5_a_late_notice_moves_the_lists_change_not_the_policy(client, settings, tmp_path, allru_answers):
    pub = _notice_setup(settings, tmp_path)
    draft, token, _ = _publish_new_subprocessor(client, pub, _host(allru_answers))
    settings.HOSTPOLICY_TODAY = "2026-12-01"
    said = pub.record_notice(client, token, 2, "2026-12-01")[0]
    assert ("That is less than the 45 days' notice your data processing agreement promises before 9 January 2027, "
            "so this version's changes to the sub-processor list and the agreement take effect only on "
            "15 January 2027; the policy still takes effect on 9 January 2027.") in said
    assert "They may object until 21 December 2026." in said
    settings.HOSTPOLICY_TODAY = "2027-01-10"
    text = pub.text_of(pub.page(client, "/p/all-ru/subprocessors/"))
    assert "The sub-processors change on 15 January 2027" in text
    in_force = text.split("Sub-processors in force")[1].split("History of this list")[0]
    assert "Hetzner" in in_force and "OVHcloud" not in in_force
    assert "OVHcloud" not in pub.page(client, "/p/all-ru/subprocessors/dpa/markdown/")
    settings.HOSTPOLICY_TODAY = "2027-01-15"
    text = pub.text_of(pub.page(client, "/p/all-ru/subprocessors/"))
    assert "OVHcloud" in text.split("Sub-processors in force")[1].split("History of this list")[0]
    assert "15 January 2027 (version 2) Added: OVHcloud" in text


@pytest.mark.django_db(transaction=True)
def test_r2_n11_the_objection_window_is_the_agreement_in_forces(client, settings, tmp_path, allru_answers):
    from generator.models import PublishedVersion

    pub = _notice_setup(settings, tmp_path)
    # version 2 adds a sub-processor and shortens the window from 20 to 10 days: its own change keeps 20
    draft, token, _ = _publish_new_subprocessor(client, pub, _host(allru_answers), objection_days=10)
    pub.record_notice(client, token, 2, "2026-11-25")
    assert PublishedVersion.objects.get(number=2).objection_until == datetime.date(2026, 12, 15)


@pytest.mark.django_db(transaction=True)
def test_r2_m6_a_change_to_the_dpa_is_summarised_and_noticed_to_customers(client, settings, tmp_path, allru_answers):
    from django.core import mail

    from generator.models import PublishedVersion
    from generator.public import services as public

    pub = _notice_setup(settings, tmp_path)
    draft, token = pub.published(client, _host(allru_answers))
    pub.subscribe_and_confirm(client, "customer@example.org")
    pub.subscribe_and_confirm(client, "reader@example.org", topic_path="subscribe")
    changed = copy.deepcopy(draft.answers)
    changed["dpa"]["objection_days"] = 15
    assert drafts.draft_save_answers(draft, changed) == ()
    summary = public.drafted_summary(draft).splitlines()
    assert "We changed our data processing agreement: the section “Sub-processors”." in summary
    assert not any(line.startswith("We updated") for line in summary)
    mail.outbox.clear()
    messages = pub.publish(client, token, summary="\n".join(summary), effective_on="2026-12-25", notify="on",
                           dpa_change_reduces="no")
    assert "Required: email the notice" in messages[0]
    # the privacy policy does not change: its subscribers are not told it does
    assert "The privacy policy's text does not change, so its subscribers get no email." in messages[0]
    pub.run_worker()
    assert mail.outbox == []
    review = pub.text_of(pub.page(client, f"/d/{token}/review/"))
    assert ("Required: the notice of version 2's change to your sub-processors or customer DPA is not yet recorded "
            "as emailed to every customer.") in review
    assert PublishedVersion.objects.get(number=2).dpa_changes == ["Sub-processors"]
    notice_text = client.get(f"/d/{token}/versions/2/notice.txt").content.decode()
    assert notice_text.startswith("Subject: All-Ru: our data processing agreement changes on 25 December 2026\n")
    assert "All-Ru is changing its data processing agreement with you." in notice_text
    assert "Our data processing agreement changes in these sections:\n- Sub-processors\n" in notice_text
    assert "The new text: http://testserver/p/all-ru/versions/2/dpa/html/" in notice_text
    assert "applies to you only when you accept it" in notice_text
    assert "You may object until" not in notice_text  # no sub-processor added: no objection window
    new_text = pub.page(client, "/p/all-ru/versions/2/dpa/markdown/")
    assert "within 15 days" in new_text
    listed = pub.text_of(pub.page(client, "/p/all-ru/subprocessors/"))
    assert ("The data processing agreement is to change with version 2 Sections that change: “Sub-processors”. "
            "The new text.") in listed
    assert "The notice to each customer's account address has not yet been given; the change applies only after it." in listed
    pub.record_notice(client, token, 2, "2026-11-25")
    assert "Required: the notice of version 2" not in pub.page(client, f"/d/{token}/review/")
    listed = pub.text_of(pub.page(client, "/p/all-ru/subprocessors/"))
    assert "The data processing agreement changes on 25 December 2026" in listed
    assert "Notice given on 25 November 2026." in listed
    pub.run_worker()
    [email] = mail.outbox
    assert (email.to, email.subject) == (["customer@example.org"],
                                         "All-Ru: our data processing agreement changes on 25 December 2026")
    # the agreement in force changes on that day, not before
    settings.HOSTPOLICY_TODAY = "2026-12-24"
    assert "within 20 days" in pub.page(client, "/p/all-ru/subprocessors/dpa/markdown/")
    settings.HOSTPOLICY_TODAY = "2026-12-25"
    assert "within 15 days" in pub.page(client, "/p/all-ru/subprocessors/dpa/markdown/")
    assert "The data processing agreement changes on" not in pub.page(client, "/p/all-ru/subprocessors/")


def _offered_host(allru_answers):
    """All-Ru at Hetzner in Germany with a DPA whose report has no problem: offered for acceptance."""
    allru_answers["processors"].append({"id": "hetzner", "country": "DE"})
    allru_answers["dpa"] = {"subprocessor_notice_days": 45, "objection_days": 20, "terms_confirmed": True,
                            "measures": ["tls", "password_hashing", "backups", "vulnerability_management"]}
    return allru_answers


def _change_objection_days(client, pub, answers, days):
    """Publish version 1, then change the DPA's own text: the days a customer has to object."""
    draft, token = pub.published(client, answers)
    changed = copy.deepcopy(draft.answers)
    changed["dpa"]["objection_days"] = days
    assert drafts.draft_save_answers(draft, changed) == ()
    return draft, token


@pytest.mark.django_db(transaction=True)
def test_r3_n5_a_dpa_change_asks_whether_it_reduces_protection(client, settings, tmp_path, allru_answers):
    from generator.models import PublishedVersion

    pub = _notice_setup(settings, tmp_path)
    draft, token = pub.published(client, _host(allru_answers))
    # while the DPA's text is the published one, nothing is asked
    assert "Does a change reduce protection?" not in pub.page(client, f"/d/{token}/review/")
    changed = copy.deepcopy(draft.answers)
    changed["dpa"]["objection_days"] = 10
    assert drafts.draft_save_answers(draft, changed) == ()
    review = pub.text_of(pub.page(client, f"/d/{token}/review/"))
    assert ("Does a change reduce protection? This version changes your data processing agreement in the section "
            "“Sub-processors”. Does any of these changes reduce the protection of customers' data") in review
    # unanswered: nothing is published, the message names the field, and what was typed is kept
    messages = pub.publish(client, token, summary="We shorten the time to object.", effective_on="2026-12-27")
    assert messages == ["Not published: Does a change reduce protection? Answer yes or no: does any change to your "
                        "data processing agreement (the section “Sub-processors”) reduce the protection of "
                        "customers' data?"]
    assert not PublishedVersion.objects.filter(number=2).exists()
    kept = pub.page(client, f"/d/{token}/review/")
    assert "We shorten the time to object." in kept and 'value="2026-12-27"' in kept
    assert 'value="yes" checked' not in kept and 'value="no" checked' not in kept
    # an answer is kept too when another field fails
    messages = pub.publish(client, token, summary="We shorten the time to object.", effective_on="2026-11-30",
                           dpa_change_reduces="yes")
    assert messages[0].startswith("Not published: Takes effect on: the earliest date is"), messages
    assert 'value="yes" checked' in pub.page(client, f"/d/{token}/review/")


@pytest.mark.django_db(transaction=True)
def test_r3_n5_a_reducing_change_applies_only_to_customers_who_accept_it(client, settings, tmp_path, allru_answers):
    from generator.models import PublishedVersion

    pub = _notice_setup(settings, tmp_path)
    draft, token = _change_objection_days(client, pub, _offered_host(allru_answers), 10)
    assert "It is a draft" not in pub.page(client, "/p/all-ru/subprocessors/")
    messages = pub.publish(client, token, summary="We shorten the time to object.", effective_on="2026-12-25",
                           dpa_change_reduces="yes")
    assert messages[0].startswith("Published as version 2"), messages
    assert ("You answered that a change to your data processing agreement reduces the protection of customers' "
            "data: it applies to a customer only once that customer accepts it, so collect each customer's "
            "acceptance") in messages[0]
    assert PublishedVersion.objects.get(number=2).dpa_change_reduces is True
    # the to-do says acceptance must be collected
    todo = pub.text_of(pub.page(client, f"/d/{token}/versions/2/"))
    assert "Required as well: collect each customer's acceptance." in todo
    # the notice says so, and how to accept
    notice_text = client.get(f"/d/{token}/versions/2/notice.txt").content.decode()
    assert ("At least one of these changes reduces the protection the agreement gives your data, so the changes "
            "apply to you only when you accept them: to accept them, say so in writing to") in notice_text
    assert "Until you do, the version you accepted continues to apply to you" in notice_text
    assert "A change that reduces the protection the agreement gives your data applies" not in notice_text
    coming = pub.text_of(pub.page(client, "/p/all-ru/subprocessors/"))
    assert ("These changes reduce the protection the agreement gives customers' data, so they apply to a customer "
            "only once it accepts them; for the others, the agreement they accepted continues.") in coming
    pub.record_notice(client, token, 2, "2026-11-25")
    # from its start, the page offers the new text only to the customers who accepted it, the old one beside it
    settings.HOSTPOLICY_TODAY = "2026-12-25"
    html = pub.page(client, "/p/all-ru/subprocessors/")
    text = pub.text_of(html)
    assert ("The data processing agreement in force for the customers who accepted the changes of version 2 "
            "(“Sub-processors”), which reduce the protection it gives their data and so apply only to customers "
            "who accepted them:") in text
    assert "The data processing agreement in force:" not in text
    assert ("For customers who have not accepted those changes, the terms of the agreement published with "
            "version 1 continue:") in text
    assert 'href="/p/all-ru/versions/1/dpa/markdown/"' in html
    assert "within 10 days" in pub.page(client, "/p/all-ru/subprocessors/dpa/markdown/")
    assert "within 20 days" in pub.page(client, "/p/all-ru/versions/1/dpa/markdown/")


@pytest.mark.django_db(transaction=True)
def test_r3_n5_a_change_that_reduces_nothing_applies_to_everyone(client, settings, tmp_path, allru_answers):
    from generator.models import PublishedVersion

    pub = _notice_setup(settings, tmp_path)
    draft, token = _change_objection_days(client, pub, _offered_host(allru_answers), 30)
    messages = pub.publish(client, token, summary="We lengthen the time to object.", effective_on="2026-12-25",
                           dpa_change_reduces="no")
    assert messages[0].startswith("Published as version 2") and "collect each customer's acceptance" not in messages[0]
    assert PublishedVersion.objects.get(number=2).dpa_change_reduces is False
    assert "collect each customer's acceptance" not in pub.text_of(pub.page(client, f"/d/{token}/versions/2/"))
    notice_text = client.get(f"/d/{token}/versions/2/notice.txt").content.decode()
    assert "A change that reduces the protection the agreement gives your data applies to you only when you accept it" \
        in notice_text
    assert "At least one of these changes reduces" not in notice_text
    pub.record_notice(client, token, 2, "2026-11-25")
    settings.HOSTPOLICY_TODAY = "2026-12-25"
    html = pub.page(client, "/p/all-ru/subprocessors/")
    text = pub.text_of(html)
    assert "The data processing agreement in force:" in text
    assert "who accepted" not in text and "/p/all-ru/versions/1/dpa/" not in html
    assert "within 30 days" in pub.page(client, "/p/all-ru/subprocessors/dpa/markdown/")


@pytest.mark.django_db(transaction=True)
def test_r2_m1_the_list_page_says_the_agreement_does_not_yet_name_its_subprocessors(
        client, settings, tmp_path, allru_answers):
    pub = _notice_setup(settings, tmp_path)
    pub.published(client, allru_answers)  # hosts customer data, names no sub-processor, confirms none
    text = pub.text_of(pub.page(client, "/p/all-ru/subprocessors/"))
    assert "The agreement in force does not yet name its sub-processors." in text
    assert "names no sub-processors" not in text
    # a draft, with the reasons its report gives (round 3: any problem, not only the sub-processors')
    assert "It is a draft, not offered for acceptance, until the business settles what its report still asks for:" in text
    assert "The data processing agreement in force:" not in text
    # once the business confirms there is none, and settles the rest its report asks for (its terms
    # and the measures on customers' data), the page may say so, and the DPA is the one in force
    confirmed = copy.deepcopy(allru_answers)
    confirmed["dpa"] = {"no_subprocessors_confirmed": True, "terms_confirmed": True,
                        "measures": ["tls", "password_hashing", "backups", "vulnerability_management"]}
    pub.published(client, confirmed, slug="all-ru-two")
    text = pub.text_of(pub.page(client, "/p/all-ru-two/subprocessors/"))
    assert "The data processing agreement in force names no sub-processors." in text
    assert "does not yet name" not in text and "not offered for acceptance" not in text
    assert "The data processing agreement in force:" in text


@pytest.mark.django_db(transaction=True)
def test_r3_the_list_page_offers_no_dpa_whose_own_report_has_a_problem(client, settings, tmp_path, allru_answers):
    """Round 3, major: a DPA whose Annex says it is not offered (the measures on customers' data not
    stated) was shown as "in force"; every problem of its report now makes it a draft, with the reason."""
    pub = _notice_setup(settings, tmp_path)
    answers = copy.deepcopy(allru_answers)
    answers["dpa"] = {"no_subprocessors_confirmed": True, "terms_confirmed": True}  # no dpa.measures
    pub.published(client, answers)
    text = pub.text_of(pub.page(client, "/p/all-ru/subprocessors/"))
    assert "It is a draft, not offered for acceptance" in text
    assert "The data processing agreement in force:" not in text
    dpa_text = pub.page(client, "/p/all-ru/subprocessors/dpa/markdown/")
    assert "this agreement is not offered for acceptance" in dpa_text  # what the page now agrees with


@pytest.mark.django_db(transaction=True)
def test_r2_n11_a_version_cannot_shorten_the_notice_for_its_own_new_subprocessor(client, settings, tmp_path, allru_answers):
    from generator.public import services as public

    pub = _notice_setup(settings, tmp_path)
    draft, token = pub.published(client, _host(allru_answers))  # 45 days' notice in force
    pub.add_processor(draft, "ovhcloud")
    changed = copy.deepcopy(draft.answers)
    changed["dpa"].update({"subprocessor_notice_days": 31, "objection_days": 20})
    assert drafts.draft_save_answers(draft, changed) == ()
    assert public.earliest_effective_date(draft) == datetime.date(2027, 1, 9)  # 25 November + 45, not + 31


# Second round (docs/reviews/dpa-counsel-2026-11-26.md).

# M1: "none of our sub-processors receives your data outside ..." only once they are named or confirmed absent.
def test_round2_m1_no_transfer_statement_while_subprocessors_are_unconfirmed():
    for name in ("all-ru", "us-reseller-eu"):
        answers = _example(name)
        text = _text(answers)
        assert "none of our sub-processors receives your data outside" not in text, name
        assert ("our sub-processors' transfers of your data outside the European Economic Area (EEA) are set out "
                "when they are named in the section on sub-processors") in text, name
        assert "you authorise the sub-processors listed below" not in text, name
        assert "general written authorisation to engage other processors" in text, name
        item = _item(answers, "gdpr28.transfers")
        assert item.status == "problem" and "dpa.no_subprocessors_confirmed" in item.advice, name
    assert _item(_example("all-ru"), "ukgdpr28.transfers").status == "problem"


def test_round2_m1_confirmed_or_named_subprocessors_keep_the_statement_and_the_authorisation():
    confirmed = answers_from(ALLRU_ANSWERS, dpa={"no_subprocessors_confirmed": True})
    text = _text(confirmed)
    assert "none of our sub-processors receives your data outside the European Economic Area (EEA)" in text
    assert "you authorise the sub-processors listed below" not in text
    assert _item(confirmed, "gdpr28.transfers").status == "met"
    munich = _text(_example("munich-host"))
    assert "By accepting this agreement you authorise the sub-processors listed below." in munich
    assert "are set out when they are named" not in munich


# n7: one DPO title, then the LGPD's own word for the same person.
def test_round2_n7_the_dpo_line_names_the_encarregado_once():
    text = _text(_example("lisbon-host"))
    assert ("Our data protection officer, who is also our encarregado under the LGPD: Ana Exemplo, "
            "Rua do Exemplo 1") in text
    assert "(under the LGPD, the data protection officer (encarregado))" not in text
    assert "Our data protection officer: Dr. Erika Beispiel" in _text(_example("munich-host"))


# n10: a reseller's customers are two groups; the data-subject lines never overlap.
def test_round2_n10_reseller_data_subject_lines_do_not_overlap():
    for name in ("us-reseller-eu", "all-ru"):
        doc = dpa.build_dpa(_example(name))
        section = plain_text(doc).split("Categories of data subjects", 1)[1].split("What stays yours", 1)[0]
        text = " ".join(section.split())
        assert "Your own customers (to whom you resell) and their contacts" in text, name
        assert "Your staff and contacts" in text and "Your customers, staff and contacts" not in text, name
        assert "Visitors and users of your own websites" in text, name
        assert "Visitors and users of your websites" not in text and "Your customers and their contacts" not in text, name
    munich = _text(_example("munich-host"))  # no reseller hosting: the shared-hosting words stand
    assert "Your customers, staff and contacts" in munich and "to whom you resell" not in munich


def test_round2_n10_every_replaced_line_is_another_services_line():
    from generator.library import get_catalogues
    services = get_catalogues().services.values()
    phrases = {p for s in services for p in s.data_subjects}
    for service in services:
        for old, _new in service.data_subjects_instead:
            assert old in phrases and old not in service.data_subjects, (service.id, old)


# M3: the security step's ticks speak of the host's own systems; the Annex reads only dpa.measures.
def test_round2_m3_the_annex_never_reads_the_security_steps_ticks():
    for name in ("munich-host", "allcot", "all-ru", "us-reseller-eu", "lisbon-host"):
        raw = _raw(name)
        (raw.get("dpa") or {}).pop("measures", None)  # the measures on customers' data not answered
        answers = answers_from(raw)
        text = _text(answers)
        annex = text.split("Annex: technical and organisational measures")[-1]
        assert ("We have not yet stated which security measures we apply to your data. Until we do, this Annex "
                "is not complete and this agreement is not offered for acceptance.") in annex, name
        for ticked in ("encrypted with TLS", "salted hashes", "multi-factor authentication", "background-checked",
                       "We back up the services we manage regularly"):
            assert ticked not in annex, (name, ticked)
        for element_id in ("gdpr28.security",) + (("ukgdpr28.security",) if "uk" in answers.jurisdictions else ()) \
                + (("fadp9.security",) if "ch" in answers.jurisdictions else ()) + (("lgpd.security",) if "br" in answers.jurisdictions else ()):
            item = _item(answers, element_id)
            assert item.status == "problem" and "dpa.measures" in item.advice and item.step == "dpa", (name, element_id)
        # what the services sold imply stays, with its own answer behind it
        if name == "munich-host":
            assert "On shared hosting, each customer's account is kept apart from the others'" in text
    # the worked examples that answer dpa.measures print them (round 3, n1); the others say they are not stated
    munich = _text(_example("munich-host")).split("Annex: technical and organisational measures")[-1]
    assert "The disks holding your data on the services we manage are encrypted." in munich
    assert "not yet stated" not in munich and _item(_example("munich-host"), "gdpr28.security").status == "met"
    assert "We have not yet stated which security measures" in _text(_example("all-ru"))


def test_round2_m3_stated_measures_are_printed_and_none_is_an_answer():
    stated = answers_from(ALLRU_ANSWERS, security={"measures": ["tls"]}, dpa={"measures": ["mfa_for_staff"]})
    annex = _text(stated).split("Annex: technical and organisational measures")[-1]
    assert "Staff accounts that can reach your data use multi-factor authentication." in annex
    assert "encrypted with TLS" not in annex and "not yet stated" not in annex
    assert _item(stated, "gdpr28.security").status == "met" and _item(stated, "ukgdpr28.security").status == "met"
    none = answers_from(ALLRU_ANSWERS, dpa={"measures": [], "measures_text": "Locked racks."})
    assert "not yet stated" not in _text(none) and "Locked racks." in _text(none)
    assert _item(none, "gdpr28.security").status == "met"


# M4: backups made with no retention answered: no "every copy", and gdpr28.deletion asks for it.
def test_round2_m4_backups_without_a_retention_are_not_promised_deleted():
    answers = _example("us-reseller-eu")  # security.measures has backups; no backups data item
    text = _text(answers)
    assert "every copy we hold" not in text
    assert ("We delete it 30 days after the service ends, unless a law we are subject to requires us to keep it") in text
    assert "Copies in our backups are deleted only when those backups expire; this agreement does not yet state when that is." in text
    item = _item(answers, "gdpr28.deletion")
    assert item.status == "problem" and "give your backups' retention" in item.advice.lower()
    # the DPA's own answer about customers' data decides once given: no backups there, no backups wording
    base = load_answers_file(EXAMPLES / "us-reseller-eu.yaml").document
    not_backed_up = answers_from(base, dpa={**base["dpa"], "measures": ["tls"]})
    assert "every copy we hold, 30 days after the service ends" in _text(not_backed_up)
    assert _item(not_backed_up, "gdpr28.deletion").status == "met"


# n5: the per-sub-processor bullets name the country and the instrument, labels in lower case, and
# do not repeat the storage paragraph just above them.
def test_round2_n5_destination_bullets_name_the_country_and_the_instrument():
    allcot = _text(_example("allcot"))  # stores in Germany; DigitalOcean in Germany and the United States
    assert "the sub-processor's country" not in allcot
    assert "DigitalOcean in Germany:" not in allcot  # the storage paragraph says it, with the same adequacy
    assert "The Swiss Federal Council lists Germany as protecting personal data adequately" in allcot
    assert "DigitalOcean in the United States: standard contractual clauses with Swiss adaptations:" in allcot
    assert "DigitalOcean in the United States: standard contractual clauses: our contract" in allcot
    lisbon = _text(_example("lisbon-host"))
    assert "Hetzner in Germany:" not in lisbon
    assert ("Brazil's data protection authority has recognised the European Union, with the other EEA states, as "
            "protecting personal data adequately, Germany included (LGPD Art. 33 I; Resolution CD/ANPD No. 32/2026)") in lisbon
    assert "the sub-processor's country" not in lisbon
    # where the data is not stored in the country, the bullet stays, with the country and the Annex
    base = load_answers_file(EXAMPLES / "allcot.yaml").document
    elsewhere = _text(answers_from(base, storage_locations=["CH"]))
    assert ("DigitalOcean in Germany: adequate protection: the Federal Council lists Germany as adequate "
            "(FADP Art. 16(1); Annex 1 to the Data Protection Ordinance)") in elsewhere


def test_round2_n8_the_cli_refusal_is_the_sentence_not_the_key():
    import pytest
    from django.core.management import call_command
    from django.core.management.base import CommandError

    with pytest.raises(CommandError) as refused:
        call_command("generate_policy", str(EXAMPLES / "quebec-host.yaml"), "--document", "dpa")
    message = str(refused.value)
    assert message.startswith("The customer DPA is written for the GDPR") and "none_covered" not in message


# Round 2, M2: where a sub-processor holds customers' data is an answer (the region, `country` on
# the processor reference), never the contracting entity's seat; the third-country leg of an EEA
# entity's affiliates is its onward transfer, not ours with it as importer.
def _lisbon_without_regions():
    raw = _raw("lisbon-host")
    raw["processors"] = [{"id": "hetzner"}, {"id": "aws"}]  # AWS's entity: EMEA SARL, Luxembourg
    return answers_from(raw)


def _subprocessor_rows(answers, document=None):
    document = document or dpa.build_dpa(answers)
    table = next(t for t in markdown_tables(render(document, "markdown")) if t and "Sub-processor" in t[0])
    return {row["Sub-processor"]: row for row in table}


def test_round2_m2_an_unanswered_region_is_not_yet_stated_never_the_entitys_seat():
    answers = _lisbon_without_regions()
    rows = _subprocessor_rows(answers)
    aws = rows["Amazon Web Services (AWS) (Amazon Web Services EMEA SARL)"]
    assert aws["Location"] == "not yet stated; also United States"
    assert rows["Hetzner (Hetzner Online GmbH)"]["Location"] == "not yet stated"
    text = _text(answers)
    assert "Luxembourg" not in text.replace("established in Luxembourg", "")
    assert "AWS) in Luxembourg" not in text
    assert ("We have not yet stated where Hetzner and Amazon Web Services (AWS) hold your data, so this agreement "
            "does not yet set out whether that is outside the European Economic Area (EEA)") in text
    # no "none of our sub-processors receives your data outside" while a region is unknown
    assert "none of our sub-processors receives" not in text


def test_round2_m2_the_report_asks_where_each_unanswered_sub_processor_holds_the_data():
    answers = _lisbon_without_regions()
    for element_id in ("gdpr28.subprocessors", "gdpr28.transfers", "lgpd.transfers"):
        item = _item(answers, element_id)
        assert item.status == "problem", element_id
        assert "Where does Hetzner hold your customers' data?" in item.advice
        assert "Where does Amazon Web Services (AWS) hold your customers' data?" in item.advice
    answered = _example("lisbon-host")
    for element_id in ("gdpr28.subprocessors", "gdpr28.transfers", "lgpd.transfers"):
        assert _item(answered, element_id).status == "met", element_id


def test_round2_m2_the_answered_region_drives_the_location_and_the_transfer_reasoning():
    answers = _example("lisbon-host")  # AWS: country DE (Frankfurt), its US affiliates reach the data
    rows = _subprocessor_rows(answers)
    aws = rows["Amazon Web Services (AWS) (Amazon Web Services EMEA SARL)"]
    assert aws["Location"] == "Germany and United States"
    assert aws["Transfer mechanism"] == ("GDPR: standard contractual clauses for the United States; LGPD: ANPD "
                                         "adequacy decision for Germany and ANPD standard contractual clauses for "
                                         "the United States")
    text = _text(answers)
    assert "Luxembourg and United States" not in text and "(AWS) in Luxembourg" not in text
    # the third-country leg is AWS's own onward transfer to its affiliates, not ours with it as importer
    assert ("Amazon Web Services (AWS) in the United States: standard contractual clauses: the sub-processor we "
            "contract with is established in Luxembourg, and its contract with us includes the European "
            "Commission's standard contractual clauses (Implementing Decision (EU) 2021/914) for the "
            "transfer to its affiliates in the United States") in text
    assert "with the sub-processor as data importer" not in text
    # who signs them as importer is the provider's own contract's to say, not ours (round 3, n2)
    assert "its affiliates as data importers" not in text
    assert ("for the transfer to its affiliates in the United States (LGPD Art. 33 II(b); Resolution "
            "CD/ANPD No. 19/2024)") in text


def test_round2_m2_the_policy_and_the_dpa_agree_on_the_location_and_the_mechanism():
    from generator.policy import build as build_policy

    for answers in (_example("lisbon-host"), _lisbon_without_regions()):
        dpa_row = _subprocessor_rows(answers)["Amazon Web Services (AWS) (Amazon Web Services EMEA SARL)"]
        policy_tables = markdown_tables(render(build_policy(answers), "markdown"))
        policy_row = next(row for t in policy_tables for row in t
                          if row.get("Recipient", "").startswith("Amazon Web Services"))
        assert policy_row["Country"] == dpa_row["Location"]
        assert policy_row["Safeguard"] == dpa_row["Transfer mechanism"]


def test_round2_m2_the_policy_report_asks_for_the_region_too():
    from generator import compliance
    from generator.policy import build as build_policy

    def region_items(answers):
        rep = compliance.report(answers, build_policy(answers))
        return [i for i in rep.items if i.element_id == "recipients.region_unstated"]

    items = region_items(_lisbon_without_regions())
    assert items and all(i.status == "problem" for i in items)
    assert region_items(_example("lisbon-host")) == []


# Round 2, n4: the GDPR cell names its destination when the location includes an EEA country.
def test_round2_n4_the_gdpr_cell_names_the_destination_per_country():
    rows = _subprocessor_rows(_example("allcot"))
    cell = rows["DigitalOcean (DigitalOcean, LLC)"]["Transfer mechanism"]
    assert cell.endswith("; GDPR: standard contractual clauses for the United States")


def _group_tag(html, field_name):
    """The opening <details> tag of the processor group that holds the field."""
    before = html[:html.index(f'name="{field_name}"')]
    start = before.rindex('<details class="processor-group')
    return before[start:before.index(">", start)]


# Round 2, M2, wizard: the Processors step asks where each chosen provider of hosted data holds it,
# prefilled only from the answers (never the entity's seat), and saves it even when it equals the seat.
@pytest.mark.django_db
def test_round2_m2_the_processors_step_asks_the_region_of_a_hosted_data_provider(client, allru_answers):
    from tests.test_wizard import new_draft, page_form, saved, submit, text, url

    allru_answers["business"].update(country="PT", address="Rua Exemplo 1, 1000-001 Lisboa, Portugal")
    allru_answers["processors"] = [{"id": "aws"}, {"id": "stripe"}]
    token = new_draft(client, allru_answers)
    html = text(client.get(url(token, "processors")))
    assert "Where does Amazon Web Services (AWS) hold your customers&#x27; data?" in html
    form = page_form(html)
    assert form["region_aws"] == [""]  # not Luxembourg, the seat of AWS EMEA SARL
    assert "region_stripe" not in form and "country_stripe" in form  # Stripe holds no hosted data
    assert "not yet stated" in html  # the summary of chosen processors
    assert _group_tag(html, "region_aws").endswith(" open")  # the question is seen, not folded away
    response = submit(client, token, "processors", {"region_aws": "Germany"})
    assert response.status_code == 302, text(response)
    assert {"id": "aws", "country": "DE"} in saved(token)["processors"]
    assert not _group_tag(text(client.get(url(token, "processors"))), "region_aws").endswith(" open")
    response = submit(client, token, "processors", {"region_aws": "Atlantis"})
    assert response.status_code == 200 and "“Atlantis” is not a country in the list" in text(response)
    # the seat itself is an answer too, once typed
    submit(client, token, "processors", {"region_aws": "Luxembourg"})
    assert {"id": "aws", "country": "LU"} in saved(token)["processors"]


# Round 2, n1: Clause 13(a) / Annex I.C name an identifiable authority: a German representative's
# Land authority; without its Land, the rule and a report problem asking for the address.
def test_round2_n1_a_representative_in_berlin_names_the_berlin_commissioner():
    answers = _example("allcot")  # Swiss host, EU representative at a 10115 Berlin address
    text = _text(answers)
    assert ("under their Clause 13(a) the competent supervisory authority is the Berlin Commissioner for Data "
            "Protection and Freedom of Information, the supervisory authority of the German Land where our "
            "representative in the European Union is established") in text
    assert "the supervisory authority of Germany" not in text
    assert _item(answers, "gdpr28.scc_authority").status == "met"


def test_round2_n1_a_german_representative_without_a_land_is_a_problem_naming_the_rule():
    raw = _raw("allcot")
    raw["business"]["eu_representative"]["address"] = "Beispielstrasse 1, Germany"
    answers = answers_from(raw)
    text = _text(answers)
    assert ("the competent supervisory authority is the supervisory authority of the German Land where our "
            "representative in the European Union is established (GDPR Art. 27; section 40 of Germany's Federal "
            "Data Protection Act)") in text
    item = _item(answers, "gdpr28.scc_authority")
    assert item.status == "problem" and "postcode" in item.advice


def test_round2_n1_a_representative_elsewhere_names_the_national_authority():
    raw = _raw("allcot")
    raw["business"]["eu_representative"].update(address="1 Example Street, Dublin 2, Ireland", country="IE")
    text = _text(answers_from(raw))
    assert ("the competent supervisory authority is the Data Protection Commission (Ireland), the supervisory "
            "authority of the Member State where our representative") in text


def test_round2_n1_the_third_limb_of_clause_13a_names_the_customer_choice_or_the_clause_17_state():
    text = _text(_example("us-reseller-eu"))  # dpa.scc_governing_law: IE
    assert ("where you need no representative (Article 27(2)), it is the authority of one of the Member States where "
            "the people whose data is transferred are located: the one you name when you accept this agreement or, "
            "if you name none, that of Ireland, the Member State whose law governs these clauses.") in text


# Round 2, n2: the SCCs with an Art. 3(2) importer: the premise stated in the clause, which carries a
# vetting note and verified: false that the provenance shows.
def test_round2_n2_the_scc_incorporation_states_its_premise_and_is_not_yet_verified():
    from generator.provenance import format_traces, trace

    answers = _example("us-reseller-eu")
    text = _text(answers)
    assert ("The Commission made these clauses for importers whose processing of the data is not itself subject to "
            "the GDPR (Decision (EU) 2021/914, recital 7 and Article 1(1)), and we conclude them on that premise: "
            "our processing of your data, as your processor on your instructions, does not itself offer goods or "
            "services to people in the Union or monitor their behaviour (GDPR Article 3(2))") in text
    clause = next(c for c in dpa.get_dpa_library().clauses() if c.id == "transfers.scc_incorporated")
    assert clause.verified is False and "round 2, n2 -" in clause.vetting.lower()
    traces = trace(dpa.build_dpa(answers), library=dpa.get_dpa_library())
    item = next(t for t in traces if t.clause_id == "transfers.scc_incorporated")
    assert item.verified is False
    explained = format_traces(traces).split("[transfers.scc_incorporated]")[1].split("\n[")[0]
    assert "not yet verified" in explained
    assert all(t.verified for t in traces if t.clause_id != "transfers.scc_incorporated")


# Round 2, n3: Annex I.A (contact person, activities, signature and date), I.B (sensitive-data
# safeguards) and, for module 3, Annex II (assistance) point to passages the agreement holds.
def test_round2_n3_the_scc_annexes_point_to_passages_that_exist():
    answers = _example("us-reseller-eu")
    text = _text(answers)
    assert ("The record of your acceptance of this agreement (who accepted which version, and when), or the "
            "signatures where it is signed, is each party's signature and date.") in text
    assert "as contact person, the person who accepts it for you unless you name another" in text
    assert ("for special categories the restrictions and safeguards applied are those you decide and tell us of "
            "under the paragraph on special categories in that section") in text
    assert ("under Module Three, the measures by which we help you with your own obligations are those under "
            "\"Help with your own obligations\" and \"Requests from the people concerned\".") in text
    markdown = render(dpa.build_dpa(answers), "markdown")
    for heading in ("Help with your own obligations", "Requests from the people concerned"):
        assert f"# {heading}\n" in markdown
    assert "Special categories of data, such as data about health" in text
    assert "We keep a record of who accepted which version of it and when" in text  # the record the annex names


def test_round3_n7_the_policy_names_the_encarregado_once_beside_the_dpo():
    from generator.policy import build as build_policy

    policy = " ".join(plain_text(build_policy(_example("lisbon-host"))).split())
    assert "We have appointed a data protection officer (under the LGPD, the encarregado)," in policy
    assert "the data protection officer (encarregado))" not in policy
