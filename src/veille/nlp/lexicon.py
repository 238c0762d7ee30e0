"""Word lists per language and concern, kept as data in ``nlp/data/<concern>.<language>.toml``."""
from __future__ import annotations

import functools
import tomllib
from importlib.resources import files
from typing import Any


@functools.cache
def load_lexicon(concern: str, language: str | None) -> dict[str, Any]:
    """Return the lexicon of a concern ("quotes", "dates", "roles"...) for a language ({} if none)."""
    if not language:
        return {}
    resource = files("veille.nlp").joinpath(f"data/{concern}.{language}.toml")
    if not resource.is_file():
        return {}
    return tomllib.loads(resource.read_text(encoding="utf-8"))


def languages_with(concern: str) -> list[str]:
    """Return the languages that have a lexicon for a concern."""
    prefix = f"{concern}."
    names = (entry.name for entry in files("veille.nlp").joinpath("data").iterdir())
    return sorted(name[len(prefix):-len(".toml")] for name in names
                  if name.startswith(prefix) and name.endswith(".toml"))
