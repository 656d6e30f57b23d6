"""`make bench`: medians of the hot paths, printed as a table. Not a test: nothing here asserts.

Measures, for each worked example in docs/examples/: answers -> Markdown and answers -> HTML,
the PDF (cold), raw WeasyPrint on the very same HTML (the PDF renderer's overhead is the ratio),
a cached PDF download against a cold render, and generation time with 50, 500 and 5,000
processors, which should grow linearly. Times are CPU time of this process (see `clock`).
"""
import gc
import os
import statistics
import sys
import tempfile
import time
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


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "generator.settings")
    import django

    django.setup()
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
    return 0


if __name__ == "__main__":
    sys.exit(main())
