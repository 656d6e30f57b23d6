"""The public sub-processor list of issue 13: /p/<slug>/subprocessors/ with the list in force (the
customer DPA's own table, as published), a coming change with the day it takes effect and the
objection deadline, the history; the notice period a new sub-processor needs before a version may
take effect; the subscription to the list, separate from the policy's; and the notice email."""
import copy
import datetime
import re

import pytest
from django.core import mail
from django.core.management import call_command

from generator.models import PublishedVersion, Subscriber
from generator.public import services as public, subprocessors
from generator.web import services

pytestmark = pytest.mark.django_db(transaction=True)

TODAY = datetime.date(2026, 11, 25)


@pytest.fixture(autouse=True)
def fixed_clock(settings, tmp_path):
    from django.core.cache import cache

    settings.HOSTPOLICY_TODAY = TODAY.isoformat()
    settings.HOSTPOLICY_CACHE_DIR = tmp_path / "cache"
    cache.clear()  # rate-limit counters of the previous test (the cache table is not rolled back)


@pytest.fixture
def host_answers(allru_answers):
    """All-Ru with its servers at Hetzner (a sub-processor), 45 days' notice of a new sub-processor
    (longer than the policy's 30) and 20 days to object."""
    allru_answers["processors"].append({"id": "hetzner", "country": "DE"})  # its region: an answer (DPA counsel, round 2, M2)
    allru_answers["dpa"] = {"subprocessor_notice_days": 45, "objection_days": 20}
    return allru_answers


def run_worker():
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


def publish(client, token, **fields):
    response = client.post(f"/d/{token}/publish/", fields, follow=True)
    assert response.status_code == 200
    return [str(m) for m in response.context["messages"]]


def page(client, path, status=200):
    response = client.get(path)
    assert response.status_code == status, (path, response.status_code)
    return response.content.decode()


def text_of(html):
    """The page's text, as read: inline tags vanish, block tags separate words."""
    inline_gone = re.sub(r"</?(a|time|strong|code)\b[^>]*>", "", html)
    return " ".join(re.sub(r"<[^>]+>", " ", inline_gone).split())


REGIONS = {"hetzner": "DE", "ovhcloud": "FR"}  # where each holds the data: an answer (DPA counsel, round 2, M2)


def add_processor(draft, processor_id):
    answers = copy.deepcopy(draft.answers)
    answers["processors"].append({"id": processor_id, "country": REGIONS[processor_id]})
    assert services.draft_save_answers(draft, answers) == ()


def record_notice(client, token, number, sent_on):
    """Record, under the secret link, the day the notice went to every customer's account address."""
    response = client.post(f"/d/{token}/versions/{number}/notice-sent/", {"sent_on": sent_on}, follow=True)
    assert response.status_code == 200
    return [str(m) for m in response.context["messages"]]


def published(client, answers, slug="all-ru"):
    draft, token = services.draft_create(answers)
    assert publish(client, token, public_name=slug)[0].startswith(f"Published as version 1 at /p/{slug}/")
    return draft, token


def subscribe_and_confirm(client, email, topic_path="subprocessors/subscribe"):
    """Subscribe through the page and confirm through the link of the email the worker sends
    (Django's locmem outbox)."""
    answer = client.post(f"/p/all-ru/{topic_path}/", {"email": email})
    assert answer.status_code == 200 and "Check your inbox" in answer.content.decode()
    run_worker()
    confirmation = [m for m in mail.outbox if m.to == [email]][-1]
    confirm_url = re.search(r"http://testserver(/p/all-ru/subscribe/confirm/\S+/)", confirmation.body).group(1)
    what = "list of sub-processors" if topic_path.startswith("subprocessors") else "privacy policy"
    assert f"before each change to its {what} takes effect" in page(client, confirm_url)
    confirmed = client.post(confirm_url).content.decode()
    assert "You are subscribed" in confirmed and f"before each change to this {what} takes effect" in confirmed
    return confirmation


# --- what is stored ----------------------------------------------------------------------------

def test_the_published_list_is_the_dpa_table_as_published(client, host_answers):
    draft, token = published(client, host_answers)
    version = PublishedVersion.objects.get()
    rows = subprocessors.version_rows(version)
    assert [(r.name, r.entity, r.where) for r in rows] == [("Hetzner", "Hetzner (Hetzner Online GmbH)", "Germany")]
    assert rows[0].purpose == "dedicated and cloud servers and data-centre space that run our services"
    # the stored DPA holds the very same table the page shows
    dpa_markdown = page(client, "/p/all-ru/subprocessors/dpa/markdown/")
    assert "Hetzner" in dpa_markdown and "Hetzner Online GmbH" in dpa_markdown
    assert version.objection_until is None  # the first list gives notice of nothing


def test_a_business_without_hosted_data_has_no_list(client, allru_answers):
    allru_answers["services"] = ["domains", "ssl_certificates"]
    allru_answers["data"] = [d for d in allru_answers["data"] if d["id"] not in ("hosted_content", "backups")]
    published(client, allru_answers)
    assert PublishedVersion.objects.get().dpa_document is None
    page(client, "/p/all-ru/subprocessors/", status=404)
    page(client, "/p/all-ru/subprocessors/subscribe/", status=404)
    page(client, "/p/all-ru/subprocessors/dpa/html/", status=404)
    assert 'href="/p/all-ru/subprocessors/"' not in page(client, "/p/all-ru/")


# --- the earliest date ---------------------------------------------------------------------------

def test_a_new_subprocessor_needs_the_dpa_notice_before_it_takes_effect(client, host_answers):
    draft, token = published(client, host_answers)
    # another change (not a sub-processor): the policy's 30 days are enough
    answers = copy.deepcopy(draft.answers)
    answers["rights"]["response_days"] = 14
    services.draft_save_answers(draft, answers)
    assert public.earliest_effective_date(draft) == TODAY + datetime.timedelta(days=30)
    # a new sub-processor: the DPA's 45 days
    add_processor(draft, "ovhcloud")
    earliest, why = public.earliest_with_reason(draft)
    assert earliest == datetime.date(2027, 1, 9)
    messages = publish(client, token, summary="We add OVHcloud.", effective_on="2026-12-26")
    assert messages == ["Not published: Takes effect on: the earliest date is 09 January 2027 (this version adds "
                        "or replaces a sub-processor, and your customer DPA promises 45 days' notice of that)."]
    assert PublishedVersion.objects.count() == 1
    review = page(client, f"/d/{token}/review/")
    assert 'min="2027-01-09"' in review and "<code>dpa.subprocessor_notice_days</code>" in review
    messages = publish(client, token, summary="We add OVHcloud.", effective_on="2027-01-09")
    assert messages[0].startswith("Published as version 2 at /p/all-ru/, in force from 09 January 2027.")
    assert ("Required: email the notice shown on this page to every customer's account address, then record "
            "the day you sent it.") in messages[0]
    version = PublishedVersion.objects.get(number=2)
    assert version.objection_until is None  # no notice given yet: no window runs (counsel M5)
    recorded = record_notice(client, token, 2, "2026-11-25")[0]
    assert recorded.startswith(
        "Recorded: you emailed the notice to your customers on 25 November 2026. They may object until "
        "15 December 2026. The changes take effect on 9 January 2027.")
    # a text copied on an earlier day names earlier dates: the business is told to send the re-dated one (round 3, n4)
    assert "If the notice you sent is dated before 25 November 2026 (its first lines say so)" in recorded
    version.refresh_from_db()
    assert version.objection_until == datetime.date(2026, 12, 15)  # recorded notice day + 20 days
    # removing a sub-processor needs no notice beyond the policy's own
    answers = copy.deepcopy(draft.answers)
    answers["processors"] = [p for p in answers["processors"] if p["id"] != "hetzner"]
    services.draft_save_answers(draft, answers)
    assert public.earliest_with_reason(draft) == (datetime.date(2027, 1, 9), "the notice period your answers promise")


def test_the_drafted_summary_names_added_and_removed_subprocessors(client, host_answers):
    draft, token = published(client, host_answers)
    answers = copy.deepcopy(draft.answers)
    answers["processors"] = [p for p in answers["processors"] if p["id"] != "hetzner"] + [{"id": "ovhcloud", "country": "FR"}]
    services.draft_save_answers(draft, answers)
    lines = public.drafted_summary(draft).splitlines()
    assert "We no longer use Hetzner (Hetzner Online GmbH) as a sub-processor for the data you store with us." in lines
    assert ("New sub-processor for the data you store with us: OVHcloud (France): dedicated and cloud servers "
            "and data-centre space that run our services.") in lines


# --- the page ----------------------------------------------------------------------------------

def test_the_page_shows_the_list_a_coming_change_and_the_history(client, host_answers, settings):
    draft, token = published(client, host_answers)
    html = page(client, "/p/all-ru/subprocessors/")
    text = text_of(html)
    assert "Sub-processors of All-Ru" in text
    assert "Sub-processor What it does for us Location Transfer mechanism" in text
    assert ("Hetzner (Hetzner Online GmbH) dedicated and cloud servers and data-centre space that run our services "
            "Germany UK GDPR: approved by UK regulations (adequacy)") in text
    assert "First published list: Hetzner (Hetzner Online GmbH)." in text
    assert 'href="/p/all-ru/subprocessors/dpa/pdf/"' in html and 'href="/p/all-ru/subprocessors/subscribe/"' in html
    # the policy page's bar and the publish box under the secret link point to it
    assert 'href="/p/all-ru/subprocessors/"' in page(client, "/p/all-ru/")
    review = text_of(page(client, f"/d/{token}/review/"))
    assert "Your customer DPA's list of sub-processors is public at /p/all-ru/subprocessors/, with its history" in review

    add_processor(draft, "ovhcloud")
    publish(client, token, summary="We add OVHcloud.", effective_on="2027-01-09")
    text = text_of(page(client, "/p/all-ru/subprocessors/"))
    # published, not yet emailed to the customers: the page says only what is true (counsel M5)
    assert "The sub-processors are to change with version 2" in text
    assert ("Notice published on 25 November 2026. The notice to each customer's account address has not yet been "
            "given; the time to object runs from that notice.") in text
    assert "Notice given" not in text and "may object until" not in text
    record_notice(client, token, 2, "2026-11-25")
    text = text_of(page(client, "/p/all-ru/subprocessors/"))
    assert "The sub-processors change on 9 January 2027" in text
    assert "Added: OVHcloud," in text
    assert ("Notice given on 25 November 2026. Customers may object until 15 December 2026, in writing to "
            "support@all-ru.net") in text
    in_force = text.split("Sub-processors in force")[1]
    assert "Hetzner" in in_force and "OVHcloud" not in in_force.split("History of this list")[0]

    # the day it takes effect: OVHcloud is in the list, the change is in the history
    settings.HOSTPOLICY_TODAY = "2027-01-09"
    text = text_of(page(client, "/p/all-ru/subprocessors/"))
    assert "The sub-processors change on" not in text
    in_force, history = text.split("Sub-processors in force")[1].split("History of this list")
    assert "OVHcloud" in in_force and "Hetzner (Hetzner Online GmbH)" in in_force
    assert history.index("9 January 2027 (version 2) Added: OVHcloud") < history.index(
        "25 November 2026 (version 1) First published list")


def test_the_page_answers_304_to_a_repeated_read(client, host_answers):
    published(client, host_answers)
    first = client.get("/p/all-ru/subprocessors/")
    assert first["ETag"] and first["Last-Modified"]
    again = client.get("/p/all-ru/subprocessors/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again.content == b""
    since = client.get("/p/all-ru/subprocessors/", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert since.status_code == 304


def test_the_dpa_downloads_as_published(client, host_answers):
    draft, token = published(client, host_answers)
    html = client.get("/p/all-ru/subprocessors/dpa/html/")
    assert html["Content-Disposition"] == 'attachment; filename="data-processing-agreement.html"'
    assert "Hetzner Online GmbH" in html.content.decode()
    assert client.get("/p/all-ru/subprocessors/dpa/snippet/").status_code == 404
    # the draft moves on; the published DPA does not
    add_processor(draft, "ovhcloud")
    assert "OVH SAS" not in client.get("/p/all-ru/subprocessors/dpa/markdown/").content.decode()


def test_the_dpa_pdf_as_published_is_rendered_by_the_worker(client, host_answers):
    import subprocess

    published(client, host_answers)
    waiting = client.get("/p/all-ru/subprocessors/dpa/pdf/")
    assert waiting.status_code == 202  # queued for the task worker
    run_worker()
    response = client.get("/p/all-ru/subprocessors/dpa/pdf/")
    assert response.status_code == 200 and response.content.startswith(b"%PDF-")
    assert response["Content-Disposition"] == 'attachment; filename="data-processing-agreement.pdf"'
    text = " ".join(subprocess.run(["pdftotext", "-", "-"], input=response.content, capture_output=True,
                                   check=True).stdout.decode().split())
    assert "Data processing agreement" in text and "Hetzner Online GmbH" in text
    # the policy's PDF is another file
    assert client.get("/p/all-ru/download/pdf/").content != response.content


# --- subscriptions and the notice ------------------------------------------------------------------

def test_subscribers_of_the_list_get_its_notice_and_policy_subscribers_do_not(client, host_answers):
    draft, token = published(client, host_answers)
    confirmation = subscribe_and_confirm(client, "customer@example.org")
    assert confirmation.subject == "Confirm: notices of changes to the list of sub-processors of All-Ru"
    assert "The list of sub-processors: http://testserver/p/all-ru/subprocessors/" in confirmation.body
    subscribe_and_confirm(client, "reader@example.org", topic_path="subscribe")
    # one address may hold both subscriptions, each confirmed on its own
    subscribe_and_confirm(client, "both@example.org")
    subscribe_and_confirm(client, "both@example.org", topic_path="subscribe")
    assert sorted(Subscriber.objects.values_list("email", "topic")) == [
        ("both@example.org", "policy"), ("both@example.org", "subprocessors"),
        ("customer@example.org", "subprocessors"), ("reader@example.org", "policy")]
    csv_lines = client.get(f"/d/{token}/public/subscribers.csv").content.decode().splitlines()
    assert csv_lines[0] == "email,confirmed_at,topic"
    assert sorted(line.split(",")[2] for line in csv_lines[1:]) == ["policy", "policy", "subprocessors", "subprocessors"]

    mail.outbox.clear()
    add_processor(draft, "ovhcloud")
    messages = publish(client, token, summary="We add OVHcloud.", effective_on="2027-01-09", notify="on")
    assert "Required: email the notice" in messages[0]
    run_worker()
    # the list's notice goes out with the notice to every customer, once its day is recorded (counsel M5)
    assert sorted((m.to[0], m.subject) for m in mail.outbox) == [
        ("both@example.org", "All-Ru: our privacy policy changes on 9 January 2027"),
        ("reader@example.org", "All-Ru: our privacy policy changes on 9 January 2027")]
    assert "The same notice is being emailed to the sub-processor list's subscribers." in \
        record_notice(client, token, 2, "2026-11-25")[0]
    run_worker()
    by_subject = sorted((m.to[0], m.subject) for m in mail.outbox)
    assert by_subject == [
        ("both@example.org", "All-Ru: our privacy policy changes on 9 January 2027"),
        ("both@example.org", "All-Ru: our sub-processors change on 9 January 2027"),
        ("customer@example.org", "All-Ru: our sub-processors change on 9 January 2027"),
        ("reader@example.org", "All-Ru: our privacy policy changes on 9 January 2027"),
    ]
    [notice] = [m for m in mail.outbox if m.to == ["customer@example.org"]]
    body = notice.body
    assert "All-Ru is changing the sub-processors that process the data you store with it. " \
           "The change takes effect on 9 January 2027." in body
    new = body.split("New sub-processors:\n")[1]
    assert new.startswith("- OVHcloud\n  What it does for us: ")
    assert "  Where: France\n  Transfer mechanism: UK GDPR: approved by UK regulations (adequacy)\n" in new
    assert "You may object until 15 December 2026, in writing to support@all-ru.net," in body
    assert "The list of sub-processors, with its history: http://testserver/p/all-ru/subprocessors/" in body
    assert "Hetzner" not in body  # only what changes
    assert notice.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe = re.search(r"http://testserver(/p/all-ru/unsubscribe/\S+/)", body).group(1)
    assert "Stop the emails about changes to the list of sub-processors of All-Ru" in page(client, unsubscribe)
    assert client.post(unsubscribe).status_code == 200
    assert not Subscriber.objects.filter(email="customer@example.org").exists()
    assert Subscriber.objects.filter(email="both@example.org").count() == 2


def test_a_version_that_leaves_the_list_alone_sends_no_list_notice(client, host_answers):
    draft, token = published(client, host_answers)
    subscribe_and_confirm(client, "customer@example.org")
    mail.outbox.clear()
    answers = copy.deepcopy(draft.answers)
    answers["rights"]["response_days"] = 14
    services.draft_save_answers(draft, answers)
    messages = publish(client, token, summary="We answer within 14 days.", notify="on")
    assert "Required: email the notice" not in messages[0] and "sub-processor notice" not in messages[0]
    # its DPA's report still asks for the measures on customers' data: the page offers it as a draft
    assert "still has problems in its report, so the public sub-processor page offers it as a draft" in messages[0]
    run_worker()
    assert mail.outbox == []
    assert PublishedVersion.objects.get(number=2).objection_until is None


def test_the_notice_reaches_a_real_smtp_server(client, host_answers, mailbox):
    draft, token = published(client, host_answers)
    client.post("/p/all-ru/subprocessors/subscribe/", {"email": "customer@example.org"})
    run_worker()
    [confirmation] = mailbox.to("customer@example.org")
    confirm_url = re.search(r"http://testserver(/p/all-ru/subscribe/confirm/\S+/)",
                            confirmation.get_content()).group(1)
    client.post(confirm_url)
    add_processor(draft, "ovhcloud")
    publish(client, token, summary="We add OVHcloud.", effective_on="2027-01-09")
    record_notice(client, token, 2, "2026-11-25")
    run_worker()
    notice = mailbox.to("customer@example.org")[1]
    assert notice["Subject"] == "All-Ru: our sub-processors change on 9 January 2027"
    body = notice.get_content().replace("\r\n", "\n")
    assert "- OVHcloud\n" in body and "You may object until 15 December 2026" in body
    unfolded = re.sub(r"\r\n[ \t]+", " ", notice.raw.decode("ascii"))
    assert re.search(r"^List-Unsubscribe: +<http://testserver/p/all-ru/unsubscribe/\S+/>\r$", unfolded, re.M)


# --- the DPA points to the list (counsel m8) ---------------------------------------------------------

LIST_URL = "https://policies.all-ru.net/p/all-ru/subprocessors/"


def test_the_dpa_names_the_public_list_as_plain_text(host_answers):
    from generator import dpa
    from generator.answers import load_document
    from generator.render import render

    host_answers["dpa"]["subprocessor_list_url"] = LIST_URL
    result = load_document(host_answers)
    assert result.ok, result.errors
    document = dpa.build_dpa(result.answers)
    assert "subprocessors.changes_listed" in document.clause_ids and "subprocessors.changes" not in document.clause_ids
    html = render(document, "html")
    assert ("We publish the current list of sub-processors, and each change we have announced, at "
            f"{LIST_URL}.") in " ".join(re.sub(r"<[^>]+>", " ", html).split())
    assert f'href="{LIST_URL}"' not in html  # an answer never becomes a link
    del host_answers["dpa"]["subprocessor_list_url"]
    without = dpa.build_dpa(load_document(host_answers).answers)
    assert "subprocessors.changes" in without.clause_ids and "subprocessors.changes_listed" not in without.clause_ids


@pytest.mark.parametrize("value, message", [
    ("http://policies.all-ru.net/p/all-ru/subprocessors/", "is not a web address starting with https://"),
    ("javascript:alert(1)", "is not a web address starting with https://"),
])
def test_the_list_address_must_be_an_https_address(host_answers, value, message):
    from generator.answers import load_document

    host_answers["dpa"]["subprocessor_list_url"] = value
    result = load_document(host_answers)
    assert not result.ok
    assert [(e.path, message in e.message) for e in result.errors] == [("dpa.subprocessor_list_url", True)]


def test_the_dpa_step_takes_the_list_address_and_refuses_a_plain_http_one(client, host_answers):
    from tests.test_wizard import new_draft, saved, submit, url

    token = new_draft(client, host_answers)
    form = client.get(url(token, "dpa")).content.decode()
    assert "https://&lt;this site&gt;/p/&lt;name&gt;/subprocessors/" in form
    base = {"subprocessor_notice_days": "45", "objection_days": "20", "audit": "reports_first", "acceptance": "online"}
    response = submit(client, token, "dpa", {**base, "subprocessor_list_url": "http://policies.all-ru.net/list/"})
    assert response.status_code == 200
    page_html = response.content.decode()
    assert "Enter the web address of your list starting with https://." in page_html
    assert 'value="http://policies.all-ru.net/list/"' in page_html  # what was typed is kept
    response = submit(client, token, "dpa", {**base, "subprocessor_list_url": LIST_URL})
    assert response.status_code == 302
    assert saved(token)["dpa"]["subprocessor_list_url"] == LIST_URL


def test_compare_tells_added_replaced_and_removed_apart():
    from generator.public.summary import subprocessor_sentences

    hetzner = subprocessors.Row("Hetzner", "Hetzner (Hetzner Online GmbH)", "servers", "Germany", "—")
    hetzner_fi = subprocessors.Row("Hetzner", "Hetzner (Hetzner Online GmbH)", "servers", "Finland", "—")
    ovh = subprocessors.Row("OVHcloud", "OVHcloud (OVH SAS)", "backups", "France", "—")
    assert not subprocessors.compare(None, [hetzner])  # a first list gives notice of nothing
    assert not subprocessors.compare([hetzner], [hetzner])
    moved = subprocessors.compare([hetzner, ovh], [hetzner_fi])
    assert (moved.added, moved.replaced, moved.removed) == ([], [(hetzner, hetzner_fi)], [ovh])
    assert moved.needs_notice  # a sub-processor moving country is a replacement: notice, and a new objection window
    assert subprocessor_sentences(moved) == [
        "Sub-processor Hetzner is now Hetzner (Hetzner Online GmbH) (Finland) instead of Hetzner (Hetzner Online GmbH) (Germany).",
        "We no longer use OVHcloud (OVH SAS) as a sub-processor for the data you store with us.",
    ]
    assert not subprocessors.compare([hetzner, ovh], [hetzner]).needs_notice  # removing one needs none
