"""`make bench`: medians of the hot paths, printed as a table. Not a test: nothing here asserts.

Measures, for each worked example in docs/examples/: answers -> Markdown and answers -> HTML,
the PDF (cold), raw WeasyPrint on the very same HTML (the PDF renderer's overhead is the ratio),
a cached PDF download against a cold render, and generation time with 50, 500 and 5,000
processors, which should grow linearly. Times are CPU time of this process (see `clock`).

The wizard section renders every step of a draft holding the largest worked example through
Django's test client (median server time per step), then serves the landing page and the slowest
step from gunicorn in production mode and compares their throughput. `BENCH_ONLY=wizard` runs
that section alone.
"""
import gc
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

TODAY = date(2026, 11, 23)
# CPU time of this process, not wall time: on a shared machine other tenants' load swings wall
# times of the same PDF render by +-40 %, which would drown the overhead the ratio is meant to show.
clock = time.process_time
EXAMPLES = Path(__file__).resolve().parent.parent / "docs" / "examples"


def median_ms(fn: Callable[[], object], runs: int) -> float:
    fn()  # warm caches (library, fonts) so the medians measure steady state
    times: list[float] = []
    for _ in range(runs):
        start = clock()
        fn()
        times.append((clock() - start) * 1000)
    return statistics.median(times)


def paired_median_ms(first: Callable[[], object], second: Callable[[], object], runs: int) -> tuple[float, float]:
    """Medians of two functions timed in alternation (ABAB...), with a collection before each run,
    so that drift in the machine's load or in the heap falls on both alike."""
    first(), second()
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(runs):
        for fn, out in ((first, times[0]), (second, times[1])):
            gc.collect()
            start = clock()
            fn()
            out.append((clock() - start) * 1000)
    return statistics.median(times[0]), statistics.median(times[1])


def table(title: str, header: Sequence[object], rows: Sequence[Sequence[object]]) -> None:
    print(f"\n{title}")
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows)]
    line = lambda cells: "  ".join(str(c).ljust(w) for c, w in zip(cells, widths))  # noqa: E731
    print(line(header))
    print(line(["-" * w for w in widths]))
    for row in rows:
        print(line(row))


def scaled_answers(base_doc: dict[str, Any], count: int) -> dict[str, Any]:
    doc = dict(base_doc)
    doc["processors"] = [
        {"name": f"Vendor {i}", "purpose": "hosting infrastructure", "country": "DE", "data": ["account"],
         "privacy_url": f"https://vendor{i}.example/privacy"}
        for i in range(count)
    ]
    return doc


ROOT = Path(__file__).resolve().parent.parent
WIZARD_STEPS_TARGET_MS = 10
THROUGHPUT_SECONDS = float(os.environ.get("BENCH_THROUGHPUT_SECONDS", "5"))


def largest_example() -> Path:
    return max(sorted(EXAMPLES.glob("*.yaml")), key=lambda p: p.stat().st_size)


def wizard_step_times(runs: int) -> tuple[str, list[tuple[str, float]]]:
    """(example name, [(step, median ms)]): each step's GET through the whole Django stack
    (middleware, view, template) for a draft holding the largest worked example."""
    from django.conf import settings
    from django.test import Client

    from generator.web import services, steps

    # As gunicorn serves it: DEBUG off (no template debug data), no test-run template signals.
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    path = largest_example()
    draft, token, errors = services.upload_answers(path.read_bytes())
    assert not errors, errors
    client = Client()
    rows: list[tuple[str, float]] = []
    for step in steps.STEPS:
        if step.slug == "review" or not step.applies(draft.answers):  # type: ignore[union-attr]  # it loads (asserted above)
            continue
        url = f"/d/{token}/{step.slug}/"

        def get() -> None:
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)

        rows.append((step.slug, median_ms(get, runs)))
    return path.stem, rows


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def requests_per_second(url: str, seconds: float, clients: int = 4) -> float:
    """Completed GETs per second from `clients` threads hitting `url` for `seconds`."""
    done, stop = [0] * clients, time.perf_counter() + seconds

    def hammer(i: int) -> None:
        while time.perf_counter() < stop:
            with urllib.request.urlopen(url, timeout=10) as response:
                response.read()
            done[i] += 1

    threads = [threading.Thread(target=hammer, args=(i,)) for i in range(clients)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sum(done) / (time.perf_counter() - start)


def wizard_throughput(step_slug: str, seconds: float) -> tuple[float, float]:
    """Requests per second for the landing page and one step page, from gunicorn (2 workers, production
    settings, a throwaway SQLite database) on 127.0.0.1, measured one after the other."""
    port = _free_port()
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, HOSTPOLICY_ENV="production", SECRET_KEY=secrets.token_urlsafe(50),
                   ALLOWED_HOSTS="127.0.0.1", DATABASE_URL=f"sqlite:///{tmp}/db.sqlite3", STATIC_ROOT=f"{tmp}/static",
                   HOSTPOLICY_CACHE_DIR=f"{tmp}/cache", SECURE_SSL_REDIRECT="false",
                   DJANGO_SETTINGS_MODULE="generator.settings")
        py = sys.executable
        subprocess.run([py, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
        subprocess.run([py, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
        token = subprocess.run(
            [py, "-c", "import django; django.setup(); from generator.web import services; "
                       f"print(services.upload_answers(open({str(largest_example())!r}, 'rb').read())[1])"],
            cwd=ROOT, env=env, check=True, capture_output=True, text=True).stdout.strip()
        server = subprocess.Popen(
            [py, "-m", "gunicorn", "generator.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2",
             "--access-logfile", os.devnull],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            base = f"http://127.0.0.1:{port}"
            for _ in range(100):
                try:
                    urllib.request.urlopen(f"{base}/", timeout=1).read()
                    break
                except OSError:
                    time.sleep(0.2)
            landing = requests_per_second(f"{base}/", seconds)
            step = requests_per_second(f"{base}/d/{token}/{step_slug}/", seconds)
        finally:
            server.terminate()
            server.wait(timeout=30)
    return landing, step


def wizard_section(runs: int) -> None:
    name, rows = wizard_step_times(runs)
    table(f"Wizard steps, GET through Django for {name} (the largest example), median ms (target: at most "
          f"{WIZARD_STEPS_TARGET_MS} ms)", ["step", "median ms"], [(slug, f"{ms:.1f}") for slug, ms in rows])
    slowest = max(rows, key=lambda r: r[1])[0]
    landing, step = wizard_throughput(slowest, THROUGHPUT_SECONDS)
    table(f"Throughput under gunicorn (2 workers), {THROUGHPUT_SECONDS:.0f} s each, 4 client threads "
          "(target: the step at least 1/4 of the landing page)",
          ["page", "requests/s", "ratio to landing"],
          [("landing", f"{landing:.0f}", "1"), (f"step {slowest}", f"{step:.0f}", f"{step / landing:.2f}")])


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "generator.settings")
    import django

    django.setup()
    if os.environ.get("BENCH_ONLY") == "wizard":
        return wizard_main()
    import weasyprint
    from weasyprint.text.fonts import FontConfiguration
    import yaml

    from generator import policy
    from generator.answers import load_answers, load_document, model
    from generator.answers.loader import _normalise
    from generator.library import get_catalogues
    from generator.render import render
    from generator.render.fetcher import StaticOnlyFetcher
    from generator.render.pdf import pdf_html, render_pdf_cached, write_pdf
    from generator.worst_case import worst_case_answers

    runs = int(os.environ.get("BENCH_RUNS", "30"))
    pdf_runs = int(os.environ.get("BENCH_PDF_RUNS", "5"))
    examples = sorted(EXAMPLES.glob("*.yaml"))

    text_rows, pdf_rows, cache_rows, toc_rows = [], [], [], []
    for path in examples:
        raw = path.read_bytes()

        def to_markdown() -> None:
            render(policy.build(load_answers(raw).answers, today=TODAY), "markdown")  # type: ignore[arg-type]  # the worked examples load

        def to_html() -> None:
            render(policy.build(load_answers(raw).answers, today=TODAY), "html")  # type: ignore[arg-type]  # the worked examples load

        text_rows.append((path.stem, f"{median_ms(to_markdown, runs):.1f}", f"{median_ms(to_html, runs):.1f}"))

        document = policy.build(load_answers(raw).answers, today=TODAY)  # type: ignore[arg-type]  # the worked examples load
        html_string = pdf_html(document)
        ours, raw_wp = paired_median_ms(
            lambda: render(document, "pdf", cache=False),
            lambda: weasyprint.HTML(string=html_string, url_fetcher=StaticOnlyFetcher()).write_pdf(
                font_config=FontConfiguration(), pdf_variant="pdf/ua-1"),
            pdf_runs,
        )
        pdf_rows.append((path.stem, f"{ours:.0f}", f"{raw_wp:.0f}", f"{ours / raw_wp:.3f}"))

        # The contents list against the same body without it, in one run (issue 10: within 1.15).
        no_toc = pdf_html(document, with_toc=False)
        with_list, without = paired_median_ms(lambda: write_pdf(html_string), lambda: write_pdf(no_toc), pdf_runs)
        toc_rows.append((path.stem, f"{with_list:.0f}", f"{without:.0f}", f"{with_list / without:.3f}"))

        with tempfile.TemporaryDirectory() as cache:
            start = clock()
            render_pdf_cached(document, directory=cache)
            cold = (clock() - start) * 1000
            hit = median_ms(lambda: render_pdf_cached(document, directory=cache), runs)
        cache_rows.append((path.stem, f"{cold:.0f}", f"{hit:.2f}", f"1/{cold / hit:.0f}"))

    table("Answers to text, median ms (target: under 20 ms)", ["example", "markdown", "html"], text_rows)
    table("PDF, median ms (target: ratio within 1.10)", ["example", "hostpolicy pdf", "raw weasyprint", "ratio"], pdf_rows)
    table("PDF with its contents list vs the same body without, median ms (target: within 1.15)",
          ["example", "with contents", "without", "ratio"], toc_rows)
    table("PDF download, cold render vs content-hash cache (target: at most 1/50)",
          ["example", "cold ms", "cached ms", "fraction"], cache_rows)

    # The most expensive document the answers contract accepts (generator.worst_case): every list
    # and text field at its maximum. The contract's bounds are chosen so that this stays under 10 s.
    worst = policy.build(load_document(worst_case_answers()).answers, today=TODAY)  # type: ignore[arg-type]  # built to load
    start, wall = clock(), time.perf_counter()
    pdf = render(worst, "pdf", cache=False)
    table("Worst-case answers document (every bound at its maximum), one cold PDF (target: under 10 s)",
          ["html kB", "pdf kB", "cpu s", "wall s"],
          [(f"{len(pdf_html(worst)) / 1000:.0f}", f"{len(pdf) / 1000:.0f}", f"{clock() - start:.2f}",
            f"{time.perf_counter() - wall:.2f}")])

    base = yaml.safe_load((EXAMPLES / "all-ru.yaml").read_text()) if (EXAMPLES / "all-ru.yaml").exists() else yaml.safe_load(examples[0].read_text())
    # Linear means a constant cost per processor added: the third column should stay flat. (Time
    # per processor overall falls as the fixed cost of the rest of the policy is shared out.)
    scale_rows, first = [], None
    for count in (50, 500, 5000):
        doc = scaled_answers(base, count)
        # Past the contract's bound on processors (the engine's own cost is measured here), so the
        # model is built directly rather than through the loader, which would refuse it.
        answers = model.from_dict(_normalise(doc), known_data_ids=get_catalogues().data_categories)
        build = median_ms(lambda: render(policy.build(answers, today=TODAY), "markdown"), 5)
        added = "-" if first is None else f"{(build - first[1]) / (count - first[0]) * 1000:.1f}"
        first = first or (count, build)
        scale_rows.append((count, f"{build:.1f}", added))
    table("Generation with many processors, answers to Markdown (should be linear)",
          ["processors", "median ms", "us per processor added beyond 50"], scale_rows)
    return wizard_main()


def wizard_main() -> int:
    """The wizard section on a throwaway database, so the bench never writes to the real one."""
    from django.db import connection
    from django.test.utils import setup_databases, teardown_databases

    runs = int(os.environ.get("BENCH_RUNS", "30"))
    old = setup_databases(verbosity=0, interactive=False)
    try:
        wizard_section(runs)
    finally:
        teardown_databases(old, verbosity=0)
        connection.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
