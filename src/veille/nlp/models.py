"""The spaCy pipeline of each language: a setting, loaded once per process.

Defaults live in ``nlp/data/models.toml``; ``VEILLE_MODEL_<LANG>`` overrides one
(a package name or a path; ``none`` turns the model off). A language without a model
still gets dates and quotes by rule; the article says which model annotated it.
A loaded pipeline's attribute ruler and lemmatizer are replaced by ``nlp/attributes.py``'s and
``nlp/lemmas.py``'s, which give the same attributes and lemmas faster, and its layers compute
their matrix products with ``nlp/gemm.py``'s one-thread numpy products (``VEILLE_FAST_ATTRIBUTES=0``,
``VEILLE_FAST_LEMMAS=0``, ``VEILLE_FAST_GEMM=0`` keep spaCy's and thinc's).
"""
from __future__ import annotations

import functools
import os
import tomllib
from importlib.resources import files
from typing import Any

DISABLED = {"", "none", "off"}
SWITCHED_OFF = {"0", "no", "off", "false"}  # values of a VEILLE_FAST_* setting that keep spaCy's component


@functools.cache
def default_models() -> dict[str, str]:
    """Return the default model name per language, from the data file."""
    text = files("veille.nlp").joinpath("data/models.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)["models"]


def model_name(language: str | None) -> str | None:
    """Return the model set for a language (None when there is none or it is turned off)."""
    if not language:
        return None
    name = os.environ.get(f"VEILLE_MODEL_{language.upper()}", default_models().get(language, ""))
    return None if name.strip().lower() in DISABLED else name.strip()


def load_model(language: str | None) -> Any | None:
    """Return the loaded spaCy pipeline for a language, or None when it has none or it is not installed."""
    name = model_name(language)
    return _load(name) if name else None


def model_problem(language: str | None) -> str | None:
    """Return why a language has no model (not set, not installed), or None when it has one."""
    name = model_name(language)
    if not name:
        return f"no spaCy model is set for language {language!r}"
    if _load(name) is None:
        return f"spaCy model {name!r} for language {language!r} is not installed"
    return None


@functools.cache
def _load(name: str) -> Any | None:
    """Load a spaCy pipeline once per process; None when it cannot be loaded."""
    import spacy  # imported here: a run with no model never pays for spaCy's import

    try:
        nlp = spacy.load(name)
    except (OSError, ImportError):
        return None
    from veille.nlp import attributes, gemm, lemmas  # the same annotations as spaCy's, faster

    for faster in (attributes, lemmas, gemm):  # VEILLE_FAST_<NAME>=0 keeps spaCy's or thinc's own
        if os.environ.get(faster.SETTING, "1").strip().lower() not in SWITCHED_OFF:
            faster.install(nlp)
    return nlp


def preload_default_models() -> None:
    """Load the default models now (a worker pool's server calls this once for all its workers)."""
    for language in default_models():
        load_model(language)
