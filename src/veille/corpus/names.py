"""Names across articles: link each article's entities to canonical entities (Choïgou = Shoigu = Шойгу).

An entity's id is a hash of its type and name, the same in every article; this pass says which
of those entities, article by article, are one thing. Places and organisations are one by
their key: the name transliterated, folded, and read through the alias tables (the places
data's names in both languages, ``corpus/data/names.toml``'s organisations and cities); a
common noun phrase ("le conseil municipal") is one thing a site only. People are one when
their names agree and their contexts do:

- names: the words transliterated and folded, then respelt by the rules of ``names.toml``
  (French "ou", "ch", "gue" and English "y", "kh" meet); the surnames' similarity at least
  ``SIMILAR``; given names equal, an initial of each other, as similar, or missing on one side;
- context: shared role words ("ministre", "finance"), shared neighbours (entities named in
  the same articles), the same site. A full name joins a person with shared role words or
  neighbours, or from the same site unless both have roles and share neither (two people);
  a lone surname joins only on shared role words or a neighbour other than a country, and
  only one person at that; a name without a surname ("Mme", "H. B.") joins nobody.

Candidates come from ``name_blocks`` (a person's surname skeleton, a place's or an
organisation's key) joined in SQL with the chunk's own keys. Articles are taken oldest first,
one after the other, so a rebuild finds what the incremental runs found.
"""
from __future__ import annotations

import functools
import json
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib.resources import files
from typing import Any

import duckdb
from anyascii import anyascii
from rapidfuzz import fuzz

from veille.nlp.entities import NAME_PARTICLES, name_key
from veille.nlp.lexicon import languages_with, load_lexicon
from veille.records import content_id

NAME = "names"
TABLES = ("canonical_entities", "entity_links", "name_blocks")

# Least rapidfuzz ratio (0-100) of two surnames (and two given names) that are one name
# spelled two ways, after the spelling rules: 90, the lowest at which no two different people
# meet on the HIPE-2022 NewsEye French test set (334 name forms with Wikidata ids: 7 pairs of
# different surnames of one skeleton score 85-89, all of different people, "gali"/"galia";
# none scores 90 or more). "Poutine"/"Putin" scores 91. See docs/corpus.md.
SIMILAR = 90
# What a canonical entity keeps of its context, spellings and roles, most frequent first:
# enough for evidence, bounded so that a famous name costs what an obscure one does (trimmed
# back to KEPT when twice as many, so that the sorting is rare).
KEPT = 100
KEPT_KEYS = 20
PERSON = "PER"


@dataclass(slots=True)
class Seen:
    """One entity of one article, with what the pass compares."""

    article_id: str
    entity_id: str
    name: str
    type: str
    roles: list[str]
    site: str | None
    published: str | None
    words: tuple[str, ...] = ()  # a person's name words after the spelling rules
    key: str = ""
    role_words: frozenset[str] = frozenset()
    context: frozenset[str] = frozenset()  # the keys of the other entities of its article
    plausible: list[str] = field(default_factory=list)  # the stored candidates its name agrees with

    @property
    def is_person(self) -> bool:
        """Say whether this entity is matched as a person (by name and context) rather than by key."""
        return self.type == PERSON


@dataclass(slots=True)
class Canonical:
    """One entity across articles: its id, display name, type, key and what it has been seen with."""

    id: str
    name: str
    type: str
    key: str
    data: dict[str, Any] = field(default_factory=dict)
    new: bool = False

    @property
    def keys(self) -> list[tuple[str, ...]]:
        """Return the name words of every spelling seen (a person's)."""
        return [_words_of(key) for key in self.data.get("keys", [])]


@functools.lru_cache(maxsize=1 << 16)
def _words_of(key: str) -> tuple[str, ...]:
    """Return the words of a person's matching key."""
    return tuple(key.split())


# ---- rules ---------------------------------------------------------------------------------

@functools.cache
def rules() -> dict[str, Any]:
    """Return the names rules of corpus/data/names.toml, read once per process."""
    text = files("veille.corpus").joinpath("data/names.toml").read_text(encoding="utf-8")
    data = tomllib.loads(text)
    data["spelling"] = [(re.compile(pattern), repl) for pattern, repl in data["spelling"]]
    data["role_words"] = {fold(word): fold(target) for word, target in data["role_words"].items()}
    data["role_stopwords"] = frozenset(fold(word) for word in data["role_stopwords"])
    return data


@functools.lru_cache(maxsize=1 << 16)  # a chunk names the same people and places again and again
def fold(text: str) -> str:
    """Return a name transliterated to ASCII, without leading article, accents, case or punctuation."""
    text = (text or "").replace("\u00ad", "").replace("¬", "")  # soft and print hyphens: "Cle¬menceau"
    text = name_key(anyascii(text))
    text = re.sub(r"'s$", "", text)
    return " ".join(re.sub(r"[^\w\s+-]", " ", text).split())


@functools.cache
def titles() -> frozenset[str]:
    """Return the words dropped from the start of a person's name: names.toml's and every lexicon's titles."""
    words = set(rules()["titles"])
    for language in languages_with("entities"):
        lexicon = load_lexicon("entities", language)
        words.update(lexicon.get("honorifics", []))
        words.update(lexicon.get("role_nouns", []))
    return frozenset(fold(word) for word in words)


@functools.lru_cache(maxsize=1 << 16)
def person_words(name: str) -> tuple[str, ...]:
    """Return the words a person's name is matched by: folded, hyphens as spaces, titles dropped, respelt."""
    words = fold(name).replace("-", " ").split()  # "Kim Jong-un" and "Kim Jong Un", "Jean-Michel" and "Jean Michel"
    while len(words) > 1 and words[0].rstrip(".") in titles():
        words = words[1:]
    return tuple(respell(word) for word in words)


def respell(word: str) -> str:
    """Apply the spelling rules to one folded word ("choigou" -> "shoigu")."""
    for pattern, repl in rules()["spelling"]:
        word = pattern.sub(repl, word)
    return word


@functools.lru_cache(maxsize=1 << 16)  # asked for each entity at every step of a chunk
def skeleton(word: str) -> str:
    """Return a word's first letter and its consonants, repeats once: the block of similar surnames."""
    tail = re.sub(r"[aeiouy]", "", word[1:])
    return re.sub(r"(.)\1+", r"\1", word[:1] + tail)


@functools.cache
def aliases() -> dict[str, str]:
    """Return {folded name: key} for places and organisations known by several names."""
    found: dict[str, str] = {}
    for group in _alias_groups():
        key = fold(group[0])
        for name in group:
            found.setdefault(fold(name), key)
    return found


def _alias_groups() -> Iterable[list[str]]:
    """Yield each place or organisation's names, its key first (countries by their English name)."""
    for section in ("countries", "regions"):
        for name, entry in load_lexicon("places", "en").get(section, {}).items():
            yield [name, *entry.get("names", []), *_french_names(section, entry.get("fr"))]
    table = rules()["aliases"]
    yield from table["organisations"]
    yield from table["cities"]


@functools.cache
def countries() -> frozenset[str]:
    """Return the keys of the countries and large regions of the places data."""
    places = load_lexicon("places", "en")
    return frozenset(fold(name) for section in ("countries", "regions") for name in places.get(section, {}))


@functools.lru_cache(maxsize=1 << 16)
def is_generic(name: str) -> bool:
    """Say whether a thing's name is a common noun phrase: no capital, no alias, no nationality."""
    folded = fold(name)
    if any(char.isupper() for char in name) or folded in aliases():
        return False
    return not any(word in demonyms() for word in folded.split())


@functools.cache
def demonyms() -> frozenset[str]:
    """Return the nationality words of the places data, folded ("malienne", "russian")."""
    words = set()
    for language in ("fr", "en"):
        for section in ("countries", "regions"):
            for entry in load_lexicon("places", language).get(section, {}).values():
                words.update(fold(word) for word in entry.get("demonyms", []))
    return frozenset(words)


def _french_names(section: str, french: str | None) -> list[str]:
    """Return the names a place goes by in French, from places.fr.toml."""
    if not french:
        return []
    entry = load_lexicon("places", "fr").get(section, {}).get(french, {})
    return [french, *entry.get("names", [])]


def thing_key(name: str) -> str:
    """Return the key of a place, organisation or other thing: its folded name through the aliases."""
    folded = fold(name)
    return aliases().get(folded, folded)


def role_words(roles: Iterable[str]) -> frozenset[str]:
    """Return the content words of roles, folded and written in one language ("Finance Minister" -> ministre, finance)."""
    table, stop = rules()["role_words"], rules()["role_stopwords"]
    words = set()
    for word in fold(" ".join(roles)).replace("-", " ").split():
        word = word[:-1] if len(word) > 3 and word.endswith("s") else word
        if word not in stop and len(word) > 1:
            words.add(table.get(word, word))
    return frozenset(words)


# ---- comparing names -----------------------------------------------------------------------

def given_names(words: Iterable[str]) -> list[str]:
    """Return the words of a name before its surname, particles left out."""
    words = list(words)
    return [word for word in words[:-1] if word not in NAME_PARTICLES]


def name_score(a: tuple[str, ...] | list[str], b: tuple[str, ...] | list[str]) -> float | None:
    """Return how alike two people's names are (0-1), or None when they cannot be one person's."""
    if not a or not b:
        return None
    surname = fuzz.ratio(a[-1], b[-1])
    if surname < SIMILAR or not _given_names_agree(given_names(a), given_names(b)):
        return None
    return surname / 100


def _given_names_agree(a: list[str], b: list[str]) -> bool:
    """Say whether every given name of the shorter list has its like in the other (or one list is empty)."""
    shorter, longer = sorted((a, b), key=len)
    return all(any(_same_given(word, other) for other in longer) for word in shorter)


def _same_given(a: str, b: str) -> bool:
    """Say whether two given names are one: equal, an initial of the other, or as similar as SIMILAR."""
    if len(a) == 1 or len(b) == 1:
        return a[0] == b[0]
    return a == b or fuzz.ratio(a, b) >= SIMILAR


def is_full(words: Iterable[str]) -> bool:
    """Say whether a person's name has a given name besides its surname."""
    return bool(given_names(words))


# ---- the pass ------------------------------------------------------------------------------

def update(con: duckdb.DuckDBPyConnection, article_ids: list[str]) -> int:
    """Link these new articles' entities to canonical entities; return how many were created or changed."""
    seen = read_entities(con, article_ids)
    if not seen:
        return 0
    index = BlockIndex.load(con, seen)
    _add_plausible(index, seen)
    index.load_data(con, {canonical_id for item in seen for canonical_id in item.plausible})
    changed: dict[str, Canonical] = {}
    links = []
    for item in seen:
        canonical, score = match(item, index)
        if canonical is None:
            canonical, score = index.create(item), 1.0
        absorb(canonical, item)
        index.add_blocks(canonical, blocks_of(item))
        changed[canonical.id] = canonical
        links.append((item.article_id, item.entity_id, canonical.id, score))
    write(con, list(changed.values()), links, index.new_blocks)
    return len(changed)


def _add_plausible(index: BlockIndex, seen: list[Seen]) -> None:
    """Give each entity the stored candidates its name agrees with, checked once for each name of the chunk."""
    found: dict[tuple[bool, Any], list[str]] = {}  # a chunk names the same people and things in many articles
    for item in seen:
        name = (item.is_person, item.words if item.is_person else item.key)  # all that blocks_of and is_plausible read
        if name not in found:
            found[name] = index.plausible(item)
        item.plausible = found[name]


def read_entities(con: duckdb.DuckDBPyConnection, article_ids: list[str]) -> list[Seen]:
    """Return the entities of these articles in the articles' order, each with its keys and context."""
    rows = con.execute("""SELECT e.article_id, e.entity_id, any_value(e.name), any_value(e.type),
                                 flatten(list(coalesce(e.roles, []::VARCHAR[]))), any_value(a.site), any_value(a.published)
                          FROM entities e JOIN articles a ON a.id = e.article_id
                          WHERE e.article_id IN (SELECT unnest(?::VARCHAR[]))
                          GROUP BY e.article_id, e.entity_id""", [article_ids]).fetchall()
    order = {article_id: number for number, article_id in enumerate(article_ids)}
    rows.sort(key=lambda row: (order[row[0]], row[1]))
    seen = [Seen(*row[:4], roles=list(dict.fromkeys(row[4])), site=row[5], published=row[6]) for row in rows]
    for item in seen:
        item.words = person_words(item.name) if item.is_person else ()
        item.words = item.words or (fold(item.name) or item.entity_id,)
        item.key = " ".join(item.words) if item.is_person else _thing_key_of(item)
        item.role_words = role_words(item.roles)
    _add_context(seen)
    return seen


def _thing_key_of(item: Seen) -> str:
    """Return a thing's key; a generic name ("le conseil municipal", "le gouvernement") is one thing a site only."""
    key = thing_key(item.name) or item.entity_id
    return f"{key} @{item.site or item.article_id}" if is_generic(item.name) else key


def _add_context(seen: list[Seen]) -> None:
    """Give each entity the keys of the other entities of its article."""
    by_article: dict[str, list[Seen]] = {}
    for item in seen:
        by_article.setdefault(item.article_id, []).append(item)
    for items in by_article.values():
        tokens = {item.entity_id: _token(item) for item in items}
        for item in items:
            item.context = frozenset(token for entity_id, token in tokens.items() if entity_id != item.entity_id)


def _token(item: Seen) -> str:
    """Return how an entity counts as another's neighbour: a person by name, a country apart, a thing by key."""
    if item.is_person:
        return "p:" + item.key
    return ("c:" if item.key in countries() else "x:") + item.key


def blocks_of(item: Seen) -> list[str]:
    """Return the blocking keys of an entity: a person's surname skeleton, a thing's key; none for no surname."""
    if item.is_person:
        return ["p:" + skeleton(item.words[-1])] if has_surname(item.words) else []
    return ["x:" + item.key]


def has_surname(words: tuple[str, ...]) -> bool:
    """Say whether a person's name ends in a surname: two letters or more, no particle, no title ("Mme", "H. B.")."""
    last = words[-1] if words else ""
    return len(last.rstrip(".")) > 1 and last not in NAME_PARTICLES and last not in titles()


class BlockIndex:
    """The canonical entities a chunk may link to, loaded by a join on its block keys, and those it creates.

    A candidate comes with its name and spellings only; what it has been seen with (``data``) is
    read for the candidates whose names agree with one of the chunk's, so that the cost follows
    the names that may match, not the size of a block. Spellings are only ever added, and a
    person must agree with every one, so a name that disagrees at first never agrees later.
    """

    def __init__(self, canonicals: dict[str, Canonical], blocks: dict[str, list[str]], taken: set[str]):
        self.canonicals, self.blocks, self.taken = canonicals, blocks, taken
        self.new_blocks: list[tuple[str, str]] = []
        self.created: set[str] = set()
        self.created_in: dict[str, list[str]] = {}  # block key: the canonical entities this chunk created under it
        self.surnames: dict[str, dict[str, list[str]]] = {}  # see _by_surname

    @classmethod
    def load(cls, con: duckdb.DuckDBPyConnection, seen: list[Seen]) -> BlockIndex:
        """Load the canonical entities that share a block key with these entities."""
        keys = sorted({block for item in seen for block in blocks_of(item)})
        blocks: dict[str, list[str]] = {}
        for block, canonical_id in con.execute("""SELECT block, canonical_id FROM name_blocks
                                                  WHERE block IN (SELECT unnest(?::VARCHAR[]))
                                                  ORDER BY block, canonical_id""", [keys]).fetchall():
            blocks.setdefault(block, []).append(canonical_id)
        ids = sorted({canonical_id for found in blocks.values() for canonical_id in found})
        # Only a person's spellings are compared (a thing is one by its key): the rest of data is not parsed.
        rows = con.execute("""SELECT canonical_id, name, type, key, CASE WHEN type = 'PER' THEN data->'keys' END
                              FROM canonical_entities
                              WHERE canonical_id IN (SELECT unnest(?::VARCHAR[]))""", [ids]).fetchall()
        canonicals = {row[0]: Canonical(*row[:4], data={"keys": json.loads(row[4] or "[]")}) for row in rows}
        wanted = sorted({item.entity_id for item in seen})
        taken = {row[0] for row in con.execute("""SELECT canonical_id FROM canonical_entities
                                                  WHERE canonical_id IN (SELECT unnest(?::VARCHAR[]))""",
                                               [wanted]).fetchall()}
        return cls(canonicals, blocks, taken)

    def load_data(self, con: duckdb.DuckDBPyConnection, ids: set[str]) -> None:
        """Read the whole data of these candidates."""
        wanted = sorted(ids)
        for canonical_id, data in con.execute("""SELECT canonical_id, data FROM canonical_entities
                                                 WHERE canonical_id IN (SELECT unnest(?::VARCHAR[]))""",
                                              [wanted]).fetchall():
            self.canonicals[canonical_id].data = json.loads(data or "{}")

    def candidates(self, item: Seen) -> list[Canonical]:
        """Return the canonical entities that share a block key with an entity, by id."""
        ids = sorted({canonical_id for block in blocks_of(item) for canonical_id in self.blocks.get(block, [])})
        return [self.canonicals[canonical_id] for canonical_id in ids]

    def plausible(self, item: Seen) -> list[str]:
        """Return the ids of the stored candidates an entity's name agrees with, by id.

        A person's candidates are looked at by the surname of their first spelling: those whose
        surname is not similar enough to the entity's disagree with it whatever their other spellings.
        """
        if not item.is_person:
            return [c.id for c in self.candidates(item) if is_plausible(item, c)]
        found = set()
        for block in blocks_of(item):
            for surname, ids in self._by_surname(block).items():
                if fuzz.ratio(item.words[-1], surname) >= SIMILAR:
                    found.update(i for i in ids if is_plausible(item, self.canonicals[i]))
        return sorted(found)

    def _by_surname(self, block: str) -> dict[str, list[str]]:
        """Return a block's stored persons by the surname of their first spelling (read before the chunk adds any)."""
        if block not in self.surnames:
            groups: dict[str, list[str]] = {}
            for canonical_id in self.blocks.get(block, []):
                keys = self.canonicals[canonical_id].keys
                if keys and keys[0]:
                    groups.setdefault(keys[0][-1], []).append(canonical_id)
            self.surnames[block] = groups
        return self.surnames[block]

    def to_compare(self, item: Seen) -> list[Canonical]:
        """Return the stored candidates an entity's name agrees with and those this chunk created, by id."""
        created = {canonical_id for block in blocks_of(item) for canonical_id in self.created_in.get(block, [])}
        return [self.canonicals[canonical_id] for canonical_id in sorted(created.union(item.plausible))]

    def create(self, item: Seen) -> Canonical:
        """Create the canonical entity an entity starts: its id is the entity's, unless a namesake has it."""
        canonical_id = item.entity_id
        if canonical_id in self.taken:
            canonical_id = content_id(f"{item.entity_id}\x00{item.article_id}")
        self.taken.add(canonical_id)
        self.created.add(canonical_id)
        canonical = Canonical(canonical_id, item.name, item.type, item.key, new=True)
        self.canonicals[canonical_id] = canonical
        return canonical

    def add_blocks(self, canonical: Canonical, blocks: list[str]) -> None:
        """Put a canonical entity under these block keys (those it is not under yet)."""
        for block in blocks:
            listed = self.blocks.setdefault(block, [])
            if canonical.id not in listed:
                listed.append(canonical.id)
                self.new_blocks.append((block, canonical.id))
                if canonical.id in self.created:
                    self.created_in.setdefault(block, []).append(canonical.id)


def match(item: Seen, index: BlockIndex) -> tuple[Canonical | None, float]:
    """Return the canonical entity an entity is, with the likeness of their names, or (None, 0)."""
    candidates = index.to_compare(item)
    if not item.is_person:
        same = [c for c in candidates if is_plausible(item, c)]
        return (same[0], 1.0) if same else (None, 0.0)
    ranked = []
    for canonical in candidates:
        score = _person_score(item, canonical)
        if score is not None:
            ranked.append((score[0], score[1], canonical.data.get("articles", 0), canonical))
    if not ranked:
        return None, 0.0
    ranked.sort(key=lambda entry: (-entry[0], -entry[1], -entry[2], entry[3].id))
    if len(ranked) > 1 and not is_full(item.words) and ranked[0][0] == ranked[1][0]:
        return None, 0.0  # a lone surname that fits two people as well: neither
    return ranked[0][3], ranked[0][1]


def _person_score(item: Seen, canonical: Canonical) -> tuple[int, float] | None:
    """Return (evidence, name likeness) when an entity may be this canonical person, else None."""
    likeness = names_agree(item, canonical)
    if likeness is None:
        return None
    shared = evidence(item, canonical)
    if shared is None:
        return None
    return shared, likeness


def names_agree(item: Seen, canonical: Canonical) -> float | None:
    """Return how alike a person's name is to every spelling of a canonical person (the best), or None."""
    if canonical.type != PERSON:
        return None
    scores = [name_score(item.words, words) for words in canonical.keys]
    if not scores or None in scores:
        return None
    return max(scores)


def is_plausible(item: Seen, canonical: Canonical) -> bool:
    """Say whether an entity's name alone lets it be a canonical entity (its context still to be read)."""
    if item.is_person:
        return names_agree(item, canonical) is not None
    return canonical.type != PERSON and canonical.key == item.key


def evidence(item: Seen, canonical: Canonical) -> int | None:
    """Return how much of an entity's context a canonical person shares, or None when it is too little.

    Shared role words and shared neighbours are evidence; the same site is too, for a full name,
    unless both have roles and share neither (a minister and a footballer of one name). A lone
    surname, on either side, needs shared role words or a shared neighbour other than a country
    (two Maréchals of French news share France).
    """
    data = canonical.data
    known_roles, neighbours = data.get("role_words", {}), data.get("neighbours", {})
    roles = sum(word in known_roles for word in item.role_words)  # the entity's few words looked up, no set built
    shared = [token for token in item.context if token in neighbours]
    same_site = bool(item.site) and item.site in data.get("sites", {})
    full = is_full(item.words) and all(is_full(words) for words in canonical.keys)
    if roles or (shared and full) or any(not token.startswith("c:") for token in shared):
        return roles + len(shared) + same_site
    conflict = bool(item.role_words) and bool(data.get("role_words"))
    return 1 if same_site and full and not conflict else None


def absorb(canonical: Canonical, item: Seen) -> None:
    """Add what an entity says to its canonical entity: name, spelling, roles and dates, neighbours, site."""
    data = canonical.data
    _keep_count(data, "variants", [item.name])
    keys = data.setdefault("keys", [])
    if item.is_person and item.key not in keys and len(keys) < KEPT_KEYS:
        keys.append(item.key)
    _keep_count(data, "types", [item.type])
    _keep_count(data, "role_words", sorted(item.role_words))
    _keep_count(data, "neighbours", sorted(item.context))
    _keep_count(data, "sites", [item.site] if item.site else [])
    _add_roles(data, item)
    data["articles"] = data.get("articles", 0) + 1
    data["first"] = _least(data.get("first"), item.published)
    data["last"] = _most(data.get("last"), item.published)
    name = max(data["variants"].items(), key=lambda entry: (entry[1], len(entry[0]), entry[0]))[0]
    canonical.name = re.sub(r"['’]s$|[\s:;,]+$", "", name) or name  # "Niamh Carragher's", "Revue Projet :"
    canonical.key = " ".join(person_words(canonical.name)) if canonical.type == PERSON else canonical.key


def _add_roles(data: dict[str, Any], item: Seen) -> None:
    """Add an entity's roles to its canonical entity's, each with its first and last day and its article count."""
    roles = data.setdefault("roles", {})
    for role in item.roles:
        first, last, articles = roles.get(role, [item.published, item.published, 0])
        roles[role] = [_least(first, item.published), _most(last, item.published), articles + 1]
    if len(roles) > 2 * KEPT:  # the most often seen, then the latest
        kept = sorted(roles.items(), key=lambda entry: (entry[1][2], entry[1][1] or "", entry[0]), reverse=True)
        data["roles"] = dict(kept[:KEPT])


def _keep_count(data: dict[str, Any], name: str, values: Iterable[str]) -> None:
    """Count these values in data[name], keeping the KEPT most frequent (trimmed when twice as many)."""
    counts = data.setdefault(name, {})
    for value in values:
        counts[value] = counts.get(value, 0) + 1
    if len(counts) > 2 * KEPT:
        data[name] = dict(sorted(counts.items(), key=lambda entry: (-entry[1], entry[0]))[:KEPT])


def _least(a: str | None, b: str | None) -> str | None:
    """Return the earlier of two dates, either may be missing."""
    return min(day for day in (a, b) if day) if a or b else None


def _most(a: str | None, b: str | None) -> str | None:
    """Return the later of two dates, either may be missing."""
    return max(day for day in (a, b) if day) if a or b else None


def write(con: duckdb.DuckDBPyConnection, canonicals: list[Canonical], links: list[tuple],
          blocks: list[tuple[str, str]]) -> None:
    """Write the chunk's new and changed canonical entities, its links and the new block keys."""
    columns = lambda rows, n: [[row[i] for row in rows] for i in range(n)]  # noqa: E731
    rows = [(c.id, c.name, c.type, c.key, json.dumps(c.data, ensure_ascii=False, sort_keys=True)) for c in canonicals]
    new = [row for row, c in zip(rows, canonicals) if c.new]
    old = [row for row, c in zip(rows, canonicals) if not c.new]
    if new:
        con.execute("""INSERT INTO canonical_entities SELECT unnest(?::VARCHAR[]), unnest(?::VARCHAR[]),
                              unnest(?::VARCHAR[]), unnest(?::VARCHAR[]), unnest(?::VARCHAR[])::JSON""", columns(new, 5))
    if old:
        con.execute("""UPDATE canonical_entities c SET name = u.name, key = u.key, data = u.data::JSON
                       FROM (SELECT unnest(?::VARCHAR[]) AS id, unnest(?::VARCHAR[]) AS name,
                                    unnest(?::VARCHAR[]) AS key, unnest(?::VARCHAR[]) AS data) u
                       WHERE c.canonical_id = u.id""", [columns(old, 5)[i] for i in (0, 1, 3, 4)])
    con.execute("""INSERT INTO entity_links SELECT unnest(?::VARCHAR[]), unnest(?::VARCHAR[]), unnest(?::VARCHAR[]),
                          unnest(?::DOUBLE[])""", columns(links, 4))
    if blocks:
        con.execute("INSERT INTO name_blocks SELECT unnest(?::VARCHAR[]), unnest(?::VARCHAR[])", columns(blocks, 2))
    for canonical in canonicals:
        canonical.new = False
