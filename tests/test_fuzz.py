"""Property-based fuzzing of every step and the upload (issue 10): arbitrary text, control
characters, lone surrogates (in uploads), huge and deeply nested values. Whatever is posted, no
server error, the draft is still there, and what it stores still passes the answers contract.
A fixed, derandomised example budget keeps the run short and the same every time; `make test`
runs this module on SQLite and on PostgreSQL."""
import json

import pytest
import yaml
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given, settings as hsettings, strategies as st

from generator.answers.loader import partial_errors
from generator.models import Draft
from generator.web import steps

from test_wizard import new_draft, page_form, text, url

pytestmark = pytest.mark.django_db

FUZZ = hsettings(max_examples=25, deadline=None, derandomize=True, database=None,
                 suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

NASTY = ["\x00", "\ufeff", "\u202e", "\u2066", "\x1b[31m", "\r\n", "\u200b", "<script>alert(1)</script>",
         "{{ 7*7 }}", "%s%n", "'; DROP TABLE x; --", "../../etc/passwd", "\\", "🙂", "ǅ", "\x85", "\x7f"]
values = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8", categories=("Cc", "Cf", "Zs", "Lo", "Sm")), max_size=40),
    st.sampled_from(NASTY),
    st.integers(min_value=-10**30, max_value=10**30).map(str),
    st.builds(lambda s, n: s * n, st.sampled_from(["x", "a b ", "\u00e9", "\x00"]), st.sampled_from([1_000, 100_000])),
    st.builds(lambda n: "[" * n + "]" * n, st.integers(min_value=1, max_value=5_000)),
)

STEPS = [s.slug for s in steps.STEPS if s.slug != "review"]


@pytest.fixture
def fuzz_client(client, settings, allru_answers):
    settings.RATELIMIT_ENABLE = False
    token = new_draft(client, allru_answers)
    return client, token


@pytest.mark.parametrize("step", STEPS)
def test_any_input_to_any_step_is_answered_and_keeps_the_draft(fuzz_client, step):
    client, token = fuzz_client
    page = client.get(url(token, step))
    assert page.status_code == 200
    names = sorted(n for n in page_form(text(page)) if n != "csrfmiddlewaretoken")

    @FUZZ
    @given(data=st.dictionaries(st.sampled_from(names + ["nav", "extra", "custom-TOTAL_FORMS", "rows-0-id"]),
                                st.lists(values, min_size=1, max_size=3), max_size=8))
    def post(data):
        response = client.post(url(token, step), data)
        assert response.status_code in (200, 302, 429), response.status_code
        draft = Draft.objects.get()  # still there
        assert partial_errors(draft.answers) == []
        stored = json.dumps([draft.answers, draft.pending])
        assert "\\u0000" not in stored and "\\u202e" not in stored
        follow = client.get(url(token, step))
        assert follow.status_code == 200

    post()


documents = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), values),
    lambda children: st.one_of(st.lists(children, max_size=4), st.dictionaries(values, children, max_size=4)),
    max_leaves=20,
)


def _serialise(doc, how):
    if how == "json":
        return json.dumps(doc, ensure_ascii=True).encode()  # \ud800-style escapes included
    return yaml.safe_dump(doc, allow_unicode=True).encode("utf-8", "surrogatepass")


def test_any_upload_is_answered_with_errors_or_a_draft(client, settings, allru_answers):
    settings.RATELIMIT_ENABLE = False

    @FUZZ
    @given(
        doc=st.one_of(
            documents,
            st.builds(lambda base, key, value: {**base, key: value}, st.just(allru_answers),
                      st.sampled_from(sorted(allru_answers)), documents),
        ),
        how=st.sampled_from(["json", "yaml"]),
        raw=st.one_of(st.none(), st.binary(max_size=200)),
    )
    def upload(doc, how, raw):
        before = Draft.objects.count()
        body = raw if raw is not None else _serialise(doc, how)
        response = client.post("/upload/", {"answers_file": SimpleUploadedFile(f"a.{how}", body)})
        assert response.status_code in (200, 302), response.status_code
        if response.status_code == 302:
            draft = Draft.objects.order_by("-pk").first()
            assert Draft.objects.count() == before + 1 and partial_errors(draft.answers) == []
        else:
            assert Draft.objects.count() == before

    upload()
