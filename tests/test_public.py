"""The public address of a published policy (issue 12): /p/<slug>/ with the version in force, every
version with its dates and what changed, the Atom feed, notice of a coming version, the drafted
change summary, renaming and unpublishing, and subscriptions by email through a real local SMTP
server (the `mailbox` fixture) and the real task worker."""
import copy
import datetime
import hashlib
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET

import feedparser
import pytest
from django.core.management import call_command

from generator.library import CLAUSES_DIR, load_library
from generator.models import Draft, Publication, PublishedVersion, Subscriber
from generator.public import clock, summary as summary_
from generator.web import services

# Transactional: the task worker closes its connection between tasks (see tests/test_tasks.py).
pytestmark = pytest.mark.django_db(transaction=True)

TODAY = datetime.date(2026, 11, 25)
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(autouse=True)
def fixed_clock(settings, tmp_path):
    from django.core.cache import cache

    settings.HOSTPOLICY_TODAY = TODAY.isoformat()
    settings.HOSTPOLICY_CACHE_DIR = tmp_path / "cache"
    cache.clear()  # rate-limit counters of the previous test (the cache table is not rolled back)


def run_worker():
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


def draft_of(token):
    return Draft.objects.get(token_hash=hashlib.sha256(token.encode()).hexdigest())


def publish(client, token, **fields):
    response = client.post(f"/d/{token}/publish/", fields, follow=True)
    assert response.status_code == 200
    return [str(m) for m in response.context["messages"]]


def published_v1(client, answers, slug="all-ru"):
    draft, token = services.draft_create(answers)
    assert publish(client, token, public_name=slug)[0].startswith("Published as version 1 at /p/" + slug)
    return draft, token


def change_processor_and_retention(draft):
    """Zendesk added to the processors, server logs kept 30 days instead of 12 weeks."""
    answers = copy.deepcopy(draft.answers)
    answers["processors"].append({"id": "zendesk"})
    next(d for d in answers["data"] if d["id"] == "server_logs")["retention"] = "P30D"
    assert services.draft_save_answers(draft, answers) == ()


def page(client, path, status=200):
    response = client.get(path)
    assert response.status_code == status, (path, response.status_code)
    return response.content.decode()


def public_paths(slug, numbers):
    paths = [f"/p/{slug}/", f"/p/{slug}/versions/", f"/p/{slug}/changes.atom", f"/p/{slug}/subscribe/",
             *(f"/p/{slug}/download/{fmt}/" for fmt in ("html", "markdown", "snippet", "json"))]
    for n in numbers:
        paths += [f"/p/{slug}/versions/{n}/", f"/p/{slug}/versions/{n}/changes/",
                  *(f"/p/{slug}/versions/{n}/download/{fmt}/" for fmt in ("html", "markdown", "snippet", "json"))]
    return paths


# --- the public address ------------------------------------------------------------------------

def test_first_version_is_served_at_its_public_address(client, allru_answers):
    draft, token = published_v1(client, allru_answers)
    html = page(client, "/p/all-ru/")
    assert "<h1 class=\"hp-title\">Privacy Policy</h1>" in html
    assert "Version 1, in force since <time datetime=\"2026-11-25\">25 November 2026</time>" in html
    assert "Last updated: <time datetime=\"2026-11-25\">25 November 2026</time>" in html
    for fmt in ("pdf", "html", "markdown", "snippet", "json"):
        assert f'href="/p/all-ru/download/{fmt}/"' in html
    assert "&lt;link rel=&quot;privacy-policy&quot; href=&quot;http://testserver/p/all-ru/&quot;&gt;" in html
    assert 'rel="alternate" type="application/atom+xml"' in html
    # indexable, unlike the draft pages
    assert "noindex" not in html and "X-Robots-Tag" not in client.get("/p/all-ru/")
    markdown = page(client, "/p/all-ru/download/markdown/")
    assert "09775671" in markdown
    version = PublishedVersion.objects.get()
    assert version.effective_on == TODAY and version.publication.slug == "all-ru"
    assert version.library_fingerprint and len(version.library_fingerprint) == 64
    # the secret-link review shows the address, the privacy-policy line and the subscriber list
    review = page(client, f"/d/{token}/review/")
    assert 'href="/p/all-ru/"' in review and "&lt;link rel=&quot;privacy-policy&quot;" not in review
    assert '&lt;link rel="privacy-policy" href="http://testserver/p/all-ru/"&gt;' in review


def test_the_public_snippet_links_back_to_the_public_address(client, allru_answers):
    published_v1(client, allru_answers)
    snippet = page(client, "/p/all-ru/download/snippet/")
    assert re.search(r'<p class="hp-published-at">This policy and its earlier versions: '
                     r'<a href="http://testserver/p/all-ru/" rel="[^"]*">http://testserver/p/all-ru/</a></p></section>\s*$',
                     snippet)
    assert snippet.startswith('<section class="hp-privacy-policy privacy-policy"')


@pytest.mark.parametrize("name, message", [
    ("No", "Public name: use 3 to 40 lower-case letters"),
    ("has space", "Public name: use 3 to 40"),
    ("-dash-first", "Public name: use 3 to 40"),
    ("a" * 41, "Public name: use 3 to 40"),
    ("taken-name", "Public name: “taken-name” is already taken"),
])
def test_a_bad_or_taken_public_name_is_refused_naming_the_field(client, allru_answers, name, message):
    published_v1(client, allru_answers, slug="taken-name")
    draft, token = services.draft_create(allru_answers)
    messages = publish(client, token, public_name=name)
    assert any(message in m for m in messages), messages
    assert not Publication.objects.filter(draft=draft).exists()
    # what was typed is kept for the next try
    assert f'value="{name}"' in page(client, f"/d/{token}/review/")


def test_publishing_without_a_public_name_keeps_the_version_private(client, allru_answers):
    draft, token = services.draft_create(allru_answers)
    messages = publish(client, token)
    assert "under this secret link only" in messages[0]
    assert PublishedVersion.objects.get().publication is None
    assert not Publication.objects.exists()


# --- notice before a change applies ---------------------------------------------------------------

def test_a_change_takes_effect_after_the_notice_period_and_the_page_announces_it(client, allru_answers, settings):
    draft, token = published_v1(client, allru_answers)
    change_processor_and_retention(draft)
    review = page(client, f"/d/{token}/review/")
    # notice_days is 30 in the answers: the earliest date is 30 days on
    assert 'min="2026-12-25" value="2026-12-25"' in review
    drafted = re.search(r'<textarea[^>]*id="id_summary"[^>]*>(.*?)</textarea>', review, re.S).group(1).strip()
    assert drafted.splitlines() == [
        "Server and network logs are now kept 30 days instead of 12 weeks.",
        "We now use Zendesk, Inc. (United States, binding corporate rules) for our help desk, where support "
        "tickets and emails to support are stored and answered.",
    ]
    # earlier than the notice allows: refused, naming the field, nothing published
    messages = publish(client, token, effective_on="2026-12-01", summary=drafted)
    assert messages == ["Not published: Takes effect on: the earliest date is 25 December 2026 (the notice period your answers promise)."]
    assert PublishedVersion.objects.count() == 1
    # the business edits the summary and picks a later date
    edited = drafted.replace("Server and network logs", "Our server logs")
    messages = publish(client, token, effective_on="2027-01-04", summary=edited)
    assert messages[0].startswith("Published as version 2 at /p/all-ru/, in force from 04 January 2027.")
    html = page(client, "/p/all-ru/")
    assert "Version 1, in force since" in html
    assert "This policy changes on 4 January 2027" in html
    assert "<li>Our server logs are now kept 30 days instead of 12 weeks.</li>" in html
    assert 'href="/p/all-ru/versions/2/changes/"' in html
    assert "Zendesk" not in html.split("</section>", 1)[1]  # the policy shown is still version 1
    versions = page(client, "/p/all-ru/versions/")
    assert "Version 2</a> <strong>(coming)</strong>" in versions and "from 4 January 2027" in versions
    assert "Version 1</a> <strong>(in force)</strong>" in versions

    settings.HOSTPOLICY_TODAY = "2027-01-04"
    assert clock.today() == datetime.date(2027, 1, 4)
    html = page(client, "/p/all-ru/")
    assert "Version 2, in force since" in html and "This policy changes" not in html
    assert "Zendesk, Inc." in html
    versions = page(client, "/p/all-ru/versions/")
    assert "Version 2</a> <strong>(in force)</strong>" in versions
    assert re.search(r"Version 1</a></td>\s*<td>25 November 2026 to 4 January 2027", versions)
    old = page(client, "/p/all-ru/versions/1/")
    assert "an earlier version, no longer in force" in old and "Zendesk" not in old
    changes = page(client, "/p/all-ru/versions/2/changes/")
    assert "<li>Our server logs are now kept 30 days instead of 12 weeks.</li>" in changes
    added = re.findall(r'<li class="wording-added"><ins>(.*?)</ins></li>', changes, re.S)
    assert any("Zendesk" in line for line in added)


def test_the_summary_names_only_what_changed():
    old = {"processors": [{"id": "stripe"}], "data": [{"id": "account", "retention": "P1Y"}]}
    assert summary_.draft_summary(None, old) == summary_.FIRST_VERSION


def test_a_clause_library_change_alone_is_summarised_as_a_wording_change(client, allru_answers, tmp_path, monkeypatch):
    draft, token = published_v1(client, allru_answers)
    edited = load_library(edited_library(tmp_path))
    monkeypatch.setattr("generator.policy.get_library", lambda: edited)
    review = page(client, f"/d/{token}/review/")
    drafted = re.search(r'<textarea[^>]*id="id_summary"[^>]*>(.*?)</textarea>', review, re.S).group(1).strip()
    assert drafted == "We revised the wording of the section “Who we are”."


# --- immutability, caching -------------------------------------------------------------------

def edited_library(tmp_path):
    """A copy of the clause library with one sentence of the "Who we are" section reworded."""
    copy_dir = tmp_path / "clauses"
    shutil.copytree(CLAUSES_DIR, copy_dir)
    section = copy_dir / "sections" / "010_who_we_are.yaml"
    text = section.read_text(encoding="utf-8")
    assert "We are registered in {computed.business_country} under company number" in text
    section.write_text(text.replace("We are registered in {computed.business_country} under company number",
                                    "Our registration in {computed.business_country} has company number"),
                       encoding="utf-8")
    return copy_dir


def test_old_versions_render_identically_after_a_clause_is_edited(client, allru_answers, tmp_path, monkeypatch):
    draft, token = published_v1(client, allru_answers)
    paths = public_paths("all-ru", [1])
    # (the subscribe form carries a fresh CSRF token each time: not a rendering of the version)
    before = {path: client.get(path).content for path in paths if not path.endswith(("changes.atom", "subscribe/"))}
    edited = load_library(edited_library(tmp_path))
    monkeypatch.setattr("generator.policy.get_library", lambda: edited)
    # the library did change: the draft's own preview says the new words...
    review = page(client, f"/d/{token}/review/")
    assert "Our registration in the United Kingdom has company number 09775671" in review
    # ...while every public page and download of the published version reads as it did
    for path, content in before.items():
        assert client.get(path).content == content, path
    assert b"We are registered in the United Kingdom under company number 09775671" in before["/p/all-ru/"]


def test_pages_carry_etag_and_last_modified_and_answer_304(client, allru_answers):
    published_v1(client, allru_answers)
    for path in ("/p/all-ru/", "/p/all-ru/versions/", "/p/all-ru/versions/1/", "/p/all-ru/download/json/"):
        response = client.get(path)
        etag, modified = response["ETag"], response["Last-Modified"]
        assert response["Cache-Control"].startswith("public")
        assert client.get(path, HTTP_IF_NONE_MATCH=etag).status_code == 304
        assert client.get(path, HTTP_IF_MODIFIED_SINCE=modified).status_code == 304
        assert client.get(path, HTTP_IF_NONE_MATCH='"something-else"').status_code == 200


def test_the_in_force_page_changes_its_etag_when_a_version_takes_effect(client, allru_answers, settings):
    draft, token = published_v1(client, allru_answers)
    first = client.get("/p/all-ru/")["ETag"]
    change_processor_and_retention(draft)
    publish(client, token, summary="Zendesk for support tickets.")
    announced = client.get("/p/all-ru/")["ETag"]
    settings.HOSTPOLICY_TODAY = "2026-12-25"
    in_force = client.get("/p/all-ru/")["ETag"]
    assert len({first, announced, in_force}) == 3
    assert client.get("/p/all-ru/", HTTP_IF_NONE_MATCH=announced).status_code == 200


# --- nothing unpublished, no secret link ---------------------------------------------------------

def test_no_public_page_shows_unpublished_answers_or_the_secret_link(client, allru_answers, mailbox):
    draft, token = published_v1(client, allru_answers)
    change_processor_and_retention(draft)
    publish(client, token, summary="Zendesk for support tickets.")
    answers = copy.deepcopy(draft.answers)
    answers["business"]["legal_name"] = "Unpublished Holdings Ltd"
    answers["business"]["contact_email"] = "unpublished-secret@all-ru.net"
    answers["processors"].append({"id": "stripe"})
    assert services.draft_save_answers(draft, answers) == ()
    subscribe(client, "reader@example.org")
    token_hash = draft.token_hash
    for path in public_paths("all-ru", [1, 2]) + ["/p/all-ru/subscribe/"]:
        body = client.get(path).content.decode()
        for secret in (token, token_hash, "Unpublished Holdings", "unpublished-secret", "Stripe", "/d/"):
            assert secret not in body, (path, secret)
    run_worker()
    for message in mailbox.messages:
        assert token not in message.as_string() and "Unpublished Holdings" not in message.as_string()


def test_hostile_summary_text_stays_text_everywhere(client, allru_answers):
    draft, token = published_v1(client, allru_answers)
    change_processor_and_retention(draft)
    hostile = '<script>alert(1)</script> & <a href="javascript:x">click</a>'
    publish(client, token, summary=hostile)
    for path in ("/p/all-ru/", "/p/all-ru/versions/2/", "/p/all-ru/versions/2/changes/"):
        html = page(client, path)
        assert "<script>alert(1)" not in html and '<a href="javascript' not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;a href=&quot;javascript:x&quot;&gt;click&lt;/a&gt;" in html
    feed = feedparser.parse(client.get("/p/all-ru/changes.atom").content)
    # the reader shows the business's words, not markup: escaped once more inside type="html"
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in feed.entries[0].summary


# --- the feed ------------------------------------------------------------------------------------

def test_the_feed_is_valid_atom_with_one_entry_per_version(client, allru_answers):
    draft, token = published_v1(client, allru_answers)
    change_processor_and_retention(draft)
    publish(client, token, summary="We now use Zendesk for support tickets.\nServer logs are kept 30 days.")
    response = client.get("/p/all-ru/changes.atom")
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert [e.title for e in feed.entries] == ["Version 2, in force from 25 December 2026",
                                               "Version 1, in force from 25 November 2026"]
    assert feed.entries[0].link == "http://testserver/p/all-ru/versions/2/changes/"
    assert "We now use Zendesk for support tickets." in feed.entries[0].summary
    # RFC 4287 4.1.1 and 4.1.2: the elements a feed and each entry must have
    root = ET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    for tag in ("id", "title", "updated"):
        assert root.find(f"{ATOM}{tag}").text.strip(), tag
    assert root.find(f"{ATOM}author/{ATOM}name").text == "All-Ru"
    assert root.find(f"{ATOM}link[@rel='self']").get("href") == "http://testserver/p/all-ru/changes.atom"
    entries = root.findall(f"{ATOM}entry")
    assert len(entries) == 2
    ids = set()
    for entry in entries:
        for tag in ("id", "title", "updated"):
            assert entry.find(f"{ATOM}{tag}").text.strip(), tag
        datetime.datetime.fromisoformat(entry.find(f"{ATOM}updated").text)
        assert entry.find(f"{ATOM}link[@rel='alternate']") is not None
        ids.add(entry.find(f"{ATOM}id").text)
    assert len(ids) == 2


# --- rename and unpublish ------------------------------------------------------------------------

def test_rename_redirects_old_links_and_unpublish_answers_gone(client, allru_answers):
    draft, token = published_v1(client, allru_answers)
    response = client.post(f"/d/{token}/public/rename/", {"public_name": "allru-hosting"}, follow=True)
    assert "Your policy&#x27;s address is now /p/allru-hosting/" in response.content.decode()
    for old, new in (("/p/all-ru/", "/p/allru-hosting/"), ("/p/all-ru/versions/1/", "/p/allru-hosting/versions/1/"),
                     ("/p/all-ru/changes.atom", "/p/allru-hosting/changes.atom")):
        response = client.get(old)
        assert response.status_code == 301 and response["Location"] == new
    assert client.get("/p/allru-hosting/").status_code == 200
    # nobody else can take the old name
    other, other_token = services.draft_create(allru_answers)
    assert any("already taken" in m for m in publish(client, other_token, public_name="all-ru"))

    client.post(f"/d/{token}/public/unpublish/")
    for path in ("/p/allru-hosting/", "/p/allru-hosting/versions/1/", "/p/allru-hosting/changes.atom",
                 "/p/allru-hosting/download/pdf/", "/p/all-ru/", "/p/all-ru/versions/1/changes/",
                 "/p/allru-hosting/subscribe/"):
        assert client.get(path).status_code == 410, path
    assert client.get("/p/never-published/").status_code == 404
    assert client.get("/p/allru-hosting/versions/99/").status_code == 410
    # publishing again brings the address back
    assert publish(client, token, public_name="allru-hosting", summary="Back online.")[0].startswith(
        "Published as version 2 at /p/allru-hosting/")
    assert client.get("/p/allru-hosting/").status_code == 200


def test_odd_public_paths_never_fail(client, allru_answers):
    published_v1(client, allru_answers)
    for path in ("/p/all-ru/versions/0/", "/p/all-ru/versions/99/changes/", "/p/all-ru/download/exe/",
                 "/p/all-ru/subscribe/confirm/garbage/", "/p/all-ru/unsubscribe/garbage/", "/p/ALL-RU/",
                 "/p/all-ru/versions/99999999999999999999/"):
        assert client.get(path).status_code in (200, 404), path
    assert client.post("/p/all-ru/subscribe/confirm/garbage/").status_code == 400
    assert client.post("/p/all-ru/unsubscribe/garbage/").status_code == 400


# --- subscribers ---------------------------------------------------------------------------------

def subscribe(client, address):
    response = client.post("/p/all-ru/subscribe/", {"email": address})
    assert response.status_code == 200, response.content
    return response.content.decode()


def link_in(message, pattern):
    return re.search(pattern, message.get_content()).group(0)


def test_double_opt_in_notice_email_and_one_click_unsubscribe(client, allru_answers, mailbox):
    draft, token = published_v1(client, allru_answers)
    answer = subscribe(client, "Reader@Example.org")
    assert "Check your inbox" in answer
    assert Subscriber.objects.get().confirmed_at is None
    run_worker()
    [confirmation] = mailbox.to("reader@example.org")
    assert confirmation["Subject"] == "Confirm: notices of changes to the privacy policy of All-Ru"
    confirm_url = link_in(confirmation, r"http://testserver/p/all-ru/subscribe/confirm/\S+/")
    # opening the link (as a mail scanner would) does not confirm; pressing the button does
    assert "Confirm your subscription" in page(client, confirm_url)
    assert Subscriber.objects.get().confirmed_at is None
    assert "You are subscribed" in client.post(confirm_url).content.decode()
    assert Subscriber.objects.get().confirmed_at is not None

    change_processor_and_retention(draft)
    review = page(client, f"/d/{token}/review/")
    drafted = re.search(r'<textarea[^>]*id="id_summary"[^>]*>(.*?)</textarea>', review, re.S).group(1).strip()
    assert "1 confirmed subscriber" in review
    messages = publish(client, token, summary=drafted, notify="on")
    assert "being emailed to your subscribers" in messages[0]
    run_worker()
    notices = mailbox.to("reader@example.org")[1:]
    assert len(notices) == 1
    notice = notices[0]
    body = notice.get_content().replace("\r\n", "\n")
    assert notice["Subject"] == "All-Ru: our privacy policy changes on 25 December 2026"
    assert "- Server and network logs are now kept 30 days instead of 12 weeks.\n" in body
    assert "- We now use Zendesk, Inc. (United States, binding corporate rules)" in body
    assert "Version 2 takes effect on 25 December 2026" in body
    assert "http://testserver/p/all-ru/versions/2/changes/" in body
    unsubscribe_url = link_in(notice, r"http://testserver/p/all-ru/unsubscribe/\S+/")
    # as sent on the wire: plain ASCII (no RFC 2047 encoded-words a mail client would not read), folded
    unfolded = re.sub(r"\r\n[ \t]+", " ", notice.raw.decode("ascii"))
    assert re.search(r"^List-Unsubscribe: +<(\S+)>\r$", unfolded, re.M).group(1) == unsubscribe_url
    assert "=?" not in unfolded.split("\r\n\r\n")[0]
    assert notice["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert token not in body

    # RFC 8058: the mail client POSTs, with no cookie and no CSRF token
    from django.test import Client

    mail_client = Client(enforce_csrf_checks=True)
    response = mail_client.post(unsubscribe_url, "List-Unsubscribe=One-Click",
                                content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200 and "You are unsubscribed" in response.content.decode()
    assert not Subscriber.objects.exists()  # the address is deleted, not flagged
    assert mail_client.post(unsubscribe_url).status_code == 200  # a second click is not an error

    # the next version reaches nobody
    publish(client, token, summary="A third version.", notify="on", effective_on="2026-12-26")
    run_worker()
    assert len(mailbox.messages) == 2


def test_subscribing_reveals_nothing_about_who_is_subscribed(client, allru_answers, mailbox):
    published_v1(client, allru_answers)
    subscribe(client, "known@example.org")
    run_worker()
    confirm_url = link_in(mailbox.messages[0], r"http://testserver/p/all-ru/subscribe/confirm/\S+/")
    client.post(confirm_url)
    again = subscribe(client, "known@example.org").replace("known@example.org", "X")
    fresh = subscribe(client, "new@example.org").replace("new@example.org", "X")
    strip = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')
    assert strip.sub("", again) == strip.sub("", fresh)
    run_worker()
    # the confirmed address gets nothing more; the new one its confirmation
    assert len(mailbox.to("known@example.org")) == 1 and len(mailbox.to("new@example.org")) == 1


def test_a_bad_address_is_refused_naming_the_field(client, allru_answers):
    published_v1(client, allru_answers)
    response = client.post("/p/all-ru/subscribe/", {"email": "not an address"})
    assert response.status_code == 400
    assert "Email address: enter an address such as name@example.com." in response.content.decode()
    assert 'value="not an address"' in response.content.decode()
    assert not Subscriber.objects.exists()


def test_subscribing_is_rate_limited_per_address_and_per_client(client, allru_answers, settings):
    published_v1(client, allru_answers)
    settings.HOSTPOLICY_RATE_SUBSCRIBE_PER_ADDRESS = "2/d"
    settings.HOSTPOLICY_RATE_SUBSCRIBE = "4/h"
    assert client.post("/p/all-ru/subscribe/", {"email": "target@example.org"}).status_code == 200
    assert client.post("/p/all-ru/subscribe/", {"email": "target@example.org"}).status_code == 200
    # a third request for the same inbox, even from another client, is refused
    other = client.post("/p/all-ru/subscribe/", {"email": "TARGET@example.org"}, REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 429
    # one client: its fifth subscription in the hour is refused, whatever the address
    assert client.post("/p/all-ru/subscribe/", {"email": "one@example.org"}).status_code == 200
    assert client.post("/p/all-ru/subscribe/", {"email": "two@example.org"}).status_code == 200
    response = client.post("/p/all-ru/subscribe/", {"email": "three@example.org"})
    assert response.status_code == 429 and response["Retry-After"]
    assert client.post("/p/all-ru/subscribe/", {"email": "three@example.org"}, REMOTE_ADDR="10.0.0.9").status_code == 200
    assert set(Subscriber.objects.values_list("email", flat=True)) == {
        "target@example.org", "one@example.org", "two@example.org", "three@example.org"}


def test_unconfirmed_addresses_expire(client, allru_answers, settings):
    published_v1(client, allru_answers)
    subscribe(client, "late@example.org")
    Subscriber.objects.update(created_at=datetime.datetime(2020, 1, 1, tzinfo=datetime.timezone.utc))
    subscribe(client, "fresh@example.org")
    assert list(Subscriber.objects.values_list("email", flat=True)) == ["fresh@example.org"]


def test_the_subscriber_list_downloads_from_the_secret_link(client, allru_answers, mailbox):
    draft, token = published_v1(client, allru_answers)
    subscribe(client, "=cmd@example.org")
    subscribe(client, "waiting@example.org")
    run_worker()
    client.post(link_in(mailbox.to("=cmd@example.org")[0], r"http://testserver/p/all-ru/subscribe/confirm/\S+/"))
    response = client.get(f"/d/{token}/public/subscribers.csv")
    assert response["Content-Disposition"] == 'attachment; filename="subscribers.csv"'
    lines = response.content.decode().splitlines()
    assert lines[0] == "email,confirmed_at,topic"
    assert len(lines) == 2 and lines[1].startswith("'=cmd@example.org,2")  # confirmed only; no formula
    assert "no-store" in response["Cache-Control"]


def test_unpublishing_deletes_the_subscribers(client, allru_answers):
    draft, token = published_v1(client, allru_answers)
    subscribe(client, "reader@example.org")
    client.post(f"/d/{token}/public/unpublish/")
    assert not Subscriber.objects.exists()


# --- configuration -------------------------------------------------------------------------------

def test_email_is_configured_from_email_url():
    code = ("import django, os; os.environ['DJANGO_SETTINGS_MODULE']='generator.settings'; django.setup();"
            "from django.conf import settings as s;"
            "print(s.EMAIL_BACKEND, s.EMAIL_HOST, s.EMAIL_PORT, s.EMAIL_HOST_USER, s.EMAIL_USE_TLS)")
    run = lambda env: subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                                     env={**__import__("os").environ, **env}).stdout.split()
    assert run({"EMAIL_URL": "smtp+tls://mailer:pw@mail.example.com:587"}) == [
        "django.core.mail.backends.smtp.EmailBackend", "mail.example.com", "587", "mailer", "True"]
    environment = {k: v for k, v in __import__("os").environ.items() if k != "EMAIL_URL"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=environment)
    assert out.stdout.split()[0] == "django.core.mail.backends.console.EmailBackend"


# --- hostile input ------------------------------------------------------------------------------

@pytest.mark.django_db
def test_any_input_to_publish_and_subscribe_is_answered_without_a_server_error(client, allru_answers, settings):
    from hypothesis import given, strategies as st

    from test_fuzz import FUZZ, values

    settings.RATELIMIT_ENABLE = False
    draft, token = published_v1(client, allru_answers)
    change_processor_and_retention(draft)

    @FUZZ
    @given(data=st.dictionaries(st.sampled_from(["public_name", "effective_on", "summary", "notify", "email"]),
                                st.lists(values, min_size=1, max_size=2), max_size=5))
    def post(data):
        response = client.post(f"/d/{token}/publish/", data)
        assert response.status_code == 302, response.status_code
        response = client.post("/p/all-ru/subscribe/", data)
        assert response.status_code in (200, 400), response.status_code
        for version in PublishedVersion.objects.all():
            assert "\x00" not in version.summary and "\u202e" not in version.summary
            assert len(version.summary) <= 5000
        assert all("\x00" not in s.email for s in Subscriber.objects.all())

    post()
    assert client.get("/p/all-ru/").status_code == 200
    for number in PublishedVersion.objects.values_list("number", flat=True):
        assert client.get(f"/p/all-ru/versions/{number}/").status_code == 200


def test_the_secret_link_serves_a_public_version_as_published(client, allru_answers, tmp_path, monkeypatch):
    draft, token = published_v1(client, allru_answers)
    before = client.get(f"/d/{token}/versions/1/download/markdown/").content
    assert before == client.get("/p/all-ru/versions/1/download/markdown/").content
    edited = load_library(edited_library(tmp_path))
    monkeypatch.setattr("generator.policy.get_library", lambda: edited)
    assert client.get(f"/d/{token}/versions/1/download/markdown/").content == before
    html = page(client, f"/d/{token}/versions/1/")
    assert 'href="/p/all-ru/versions/1/"' in html and "takes effect on 25 November 2026" in html


def test_publishing_prerenders_the_pdf_and_the_public_address_serves_it(client, allru_answers):
    from django_tasks_db.models import DBTaskResult

    published_v1(client, allru_answers)
    assert [r.task_path for r in DBTaskResult.objects.all()] == ["generator.public.tasks.render_version_pdf"]
    run_worker()
    response = client.get("/p/all-ru/download/pdf/")
    assert response.status_code == 200 and response.content.startswith(b"%PDF-")
    assert response["Content-Disposition"] == 'attachment; filename="privacy-policy.pdf"'
    text = subprocess.run(["pdftotext", "-", "-"], input=response.content, capture_output=True, check=True).stdout
    assert b"All-Ru Ltd" in text and b"09775671" in text
    versioned = client.get("/p/all-ru/versions/1/download/pdf/")
    assert versioned.content == response.content
    assert versioned["Content-Disposition"] == 'attachment; filename="v1-privacy-policy.pdf"'


def test_head_requests_get_the_headers_without_the_page(client, allru_answers):
    published_v1(client, allru_answers)
    response = client.head("/p/all-ru/")
    assert response.status_code == 200 and response["ETag"] and response.content == b""
    assert client.post("/p/all-ru/").status_code == 405


@pytest.mark.parametrize("change, expected", [
    (lambda a: a.update(processors=[{"id": "tucows_opensrs"}]), ["We no longer use GeoTrust (DigiCert)."]),
    (lambda a: a.update(jurisdictions=["uk", "eu", "ch"]), ["This policy now also answers to Swiss FADP."]),
    (lambda a: a.update(storage_locations=["GB"]), ["We no longer store data in the European Economic Area."]),
    (lambda a: a["data"].append({"id": "identity_verification", "retention": "P1Y"}),
     ["We now collect identity and fraud checks."]),
    (lambda a: a["data"].pop(), ["We no longer collect backups of our systems."]),
    (lambda a: a["rights"].update(response_days=14), ["We updated how you can exercise your rights."]),
    (lambda a: a["cookies"]["items"].append({"name": "lang", "purpose": "preferences", "duration": "P1Y"}),
     ["We now set the cookie “lang” (preferences, kept 1 year)."]),
    (lambda a: a["business"].update(address="1 New Street, Mansfield, NG18 1AA"),
     ["We updated our company details and how to contact us."]),
])
def test_each_kind_of_change_is_summarised_in_plain_words(allru_answers, change, expected):
    new = copy.deepcopy(allru_answers)
    change(new)
    diff = services.diff_answers(allru_answers, new)
    assert summary_.draft_summary(allru_answers, new, None, diff).splitlines() == expected


def test_subscription_links_never_reach_a_log():
    from generator.logs import redact

    line = '"POST /p/all-ru/unsubscribe/eyJzIjoxfQ:1xWL:Gx_H-9/ HTTP/1.1" 200 and GET /p/all-ru/subscribe/confirm/eyJz:1x:ab/'
    assert redact(line) == ('"POST /p/all-ru/unsubscribe/<redacted>/ HTTP/1.1" 200 and '
                            "GET /p/all-ru/subscribe/confirm/<redacted>/")


def test_expire_subscriptions_deletes_only_late_unconfirmed_addresses(client, allru_answers, mailbox):
    import io

    published_v1(client, allru_answers)
    subscribe(client, "late@example.org")
    subscribe(client, "confirmed@example.org")
    run_worker()
    client.post(link_in(mailbox.to("confirmed@example.org")[0], r"http://testserver/p/all-ru/subscribe/confirm/\S+/"))
    subscribe(client, "recent@example.org")
    Subscriber.objects.exclude(email="recent@example.org").update(
        created_at=datetime.datetime(2020, 1, 1, tzinfo=datetime.timezone.utc))
    out = io.StringIO()
    call_command("expire_subscriptions", stdout=out)
    assert out.getvalue() == "Deleted 1 unconfirmed subscription request.\n"
    assert set(Subscriber.objects.values_list("email", flat=True)) == {"confirmed@example.org", "recent@example.org"}
