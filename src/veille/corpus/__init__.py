"""Corpus passes: what only shows across articles (duplicates, syndication, names, stories, merged events)."""
from veille.corpus.passes import PassReport, rebuild, run_passes

__all__ = ["PassReport", "rebuild", "run_passes"]
