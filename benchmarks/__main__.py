"""Run the benchmarks: `python -m benchmarks [--only clean|annotate|events|pipeline|search|memory|storage|corpus|attributes] [--repeat N] [--markdown]`."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from rich.console import Console

from benchmarks import annotate, attributes, clean, corpus, events, memory, pipeline, search, storage

RESULTS = Path(__file__).resolve().parent / "results"
BENCHMARKS = ("clean", "annotate", "events", "pipeline", "search", "memory", "storage", "corpus", "attributes")
SEARCH_SIZES = [10_000]  # articles in the synthetic store; `python -m benchmarks.search --sizes` for more
SEARCH_QUERIES = 100  # queries per kind
MEMORY_PAGES = [1000, 10000]  # corpus sizes of the memory benchmark; the models are off (see --memory-models)


def main(argv: list[str] | None = None) -> int:
    """Parse the command line, run the chosen benchmarks and write their figures."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--shared", type=Path, default=Path("../shared"), help="folder holding data/dev/")
    parser.add_argument("--repeat", type=_positive, default=3, metavar="N", help="runs per stage; the median is shown")
    parser.add_argument("--markdown", action="store_true", help="print the table as Markdown")
    parser.add_argument("--out", type=Path, default=RESULTS, help="folder for the JSON figures")
    parser.add_argument("--html", action="append", metavar="PATH", help="HTML files or folders to use instead")
    parser.add_argument("--dumps", action="append", metavar="PATH", help="text dumps or folders to use instead")
    parser.add_argument("--only", action="append", choices=BENCHMARKS, help="run only this benchmark (repeatable)")
    parser.add_argument("--articles", action="append", metavar="PATH",
                        help="clean article texts (one paragraph a line) or folders for the annotate benchmark")
    parser.add_argument("--limit", type=_positive, default=annotate.DEFAULT_LIMIT, metavar="N",
                        help="annotate at most N articles per language")
    parser.add_argument("--profile", action="store_true", help="also profile the annotate stage (needs pyinstrument)")
    parser.add_argument("--pages", type=_positive, default=pipeline.DEFAULT_PAGES, metavar="N",
                        help="HTML pages for the end-to-end benchmark")
    parser.add_argument("--no-ray", dest="ray", action="store_false", help="leave the Ray engine out")
    parser.add_argument("--memory-models", action="store_true",
                        help="run the memory benchmark with the spaCy models (hours at 10k pages on 2 cores)")
    args = parser.parse_args(argv)
    # Piped output (make bench | tee) gets rich's 80 columns otherwise: too narrow for the table.
    console = Console() if sys.stdout.isatty() else Console(width=110)
    chosen = chosen_benchmarks(args)
    if "clean" in chosen:
        clean.run(args.shared, console, repeat=args.repeat, markdown=args.markdown, out=args.out,
                  html=args.html, dumps=args.dumps)
    if "annotate" in chosen:
        annotate.run(args.shared, console, repeat=args.repeat, markdown=args.markdown, out=args.out,
                     articles=args.articles, limit=args.limit, profile=args.profile)
    if "events" in chosen:
        events.run(args.shared, console, repeat=args.repeat, markdown=args.markdown, out=args.out,
                   articles=args.articles, limit=args.limit)
    if "pipeline" in chosen:
        pipeline.run(args.shared, console, repeat=args.repeat, markdown=args.markdown, out=args.out,
                     html=args.html, limit=args.pages, ray=args.ray)
    if "search" in chosen:
        search.run(SEARCH_SIZES, SEARCH_QUERIES, console, out=args.out)
    if "memory" in chosen:
        memory.run(args.shared, MEMORY_PAGES, 2, console, models=args.memory_models, out=args.out)
    if "storage" in chosen:
        storage.run(args.shared, None, console, out=args.out)
    if "corpus" in chosen:  # sizes from VEILLE_BENCH_CORPUS ("10000,100000"), else 10,000 articles
        corpus.run(corpus.sizes_from_environment(), console, increments=args.repeat, out=args.out,
                   markdown=args.markdown)
    if "attributes" in chosen:  # spaCy's attribute ruler beside veille's on the dev HTML pages
        attributes.run(args.shared, console, repeat=args.repeat, out=args.out)
    return 0


def chosen_benchmarks(args: argparse.Namespace) -> tuple[str, ...]:
    """Return the benchmarks to run: those named by --only, else those given input files, else all."""
    if args.only:
        return tuple(args.only)
    given = (("clean", args.html or args.dumps), ("annotate", args.articles))
    return tuple(name for name, files in given if files) or BENCHMARKS


def _positive(value: str) -> int:
    """Return a command-line count that must be at least 1."""
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return number


if __name__ == "__main__":
    raise SystemExit(main())
