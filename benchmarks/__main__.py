"""Run the benchmarks: `python -m benchmarks [--repeat N] [--markdown] [--shared ../shared]`."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from rich.console import Console

from benchmarks import clean

RESULTS = Path(__file__).resolve().parent / "results"


def main(argv: list[str] | None = None) -> int:
    """Parse the command line, run the cleaning benchmark and write its figures."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--shared", type=Path, default=Path("../shared"), help="folder holding data/dev/")
    parser.add_argument("--repeat", type=_positive, default=3, metavar="N", help="runs per stage; the median is shown")
    parser.add_argument("--markdown", action="store_true", help="print the table as Markdown")
    parser.add_argument("--out", type=Path, default=RESULTS, help="folder for the JSON figures")
    parser.add_argument("--html", action="append", metavar="PATH", help="HTML files or folders to use instead")
    parser.add_argument("--dumps", action="append", metavar="PATH", help="text dumps or folders to use instead")
    args = parser.parse_args(argv)
    # Piped output (make bench | tee) gets rich's 80 columns otherwise: too narrow for the table.
    console = Console() if sys.stdout.isatty() else Console(width=110)
    clean.run(args.shared, console, repeat=args.repeat, markdown=args.markdown, out=args.out,
              html=args.html, dumps=args.dumps)
    return 0


def _positive(value: str) -> int:
    """Return a command-line count that must be at least 1."""
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return number


if __name__ == "__main__":
    raise SystemExit(main())
