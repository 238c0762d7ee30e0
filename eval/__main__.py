"""Run every evaluation module: `python -m eval --shared ../shared [--set clean] [--failures N]`."""
from __future__ import annotations

import argparse
import importlib
import pkgutil
from pathlib import Path

from rich.console import Console

import eval as eval_package


def list_sets() -> list[str]:
    """Return the names of the evaluation modules present in this package."""
    return sorted(m.name for m in pkgutil.iter_modules(eval_package.__path__) if not m.name.startswith("_"))


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and run the chosen evaluation sets."""
    sets = list_sets()
    parser = argparse.ArgumentParser(prog="python -m eval", description=__doc__)
    parser.add_argument("--shared", type=Path, default=Path("../shared"), help="folder holding data/dev/")
    parser.add_argument("--set", dest="sets", action="append", choices=sets, help="run only this set (repeatable)")
    parser.add_argument("--failures", type=int, default=0, metavar="N", help="also print the worst N documents")
    args = parser.parse_args(argv)
    console = Console()
    for name in args.sets or sets:
        module = importlib.import_module(f"eval.{name}")
        module.run(args.shared, console, failures=args.failures)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
