"""A faster attribute ruler: spaCy's AttributeRuler results, with patterns read as arrays.

spaCy's ``AttributeRuler`` runs every pattern through a ``Matcher``, whose ``IN``/``NOT_IN``
and ``REGEX`` conditions are Python calls per token and per pattern: most of its cost. Here a
token spec whose conditions are exact values, ``IN``/``NOT_IN`` sets or ``REGEX`` over
attributes that ``Doc.to_array`` reads as the Matcher does is compiled instead. For each
attribute a spec reads, a token's value becomes its *class*: its place among the values the
specs name, 0 for any other value (no spec can tell two unnamed values apart); a regular
expression gives a class of its own, 1 when it finds the value's string. A token's classes
make one integer key; which specs a key meets, and what the one-token patterns it matches
set, are worked out the first time the key is seen. Keys are bounded by the patterns, not by
the corpus, so that cache stays small. A pattern of several tokens (specs without ``OP``) is
matched by shifting its specs' columns. Anything else (``OP``, extensions, other operators)
stays with a ``Matcher`` holding only those patterns.

spaCy's semantics are kept: every pattern reads the attributes as they were before any is
applied, and a later pattern wins over an earlier one for an attribute both set. Attributes
are written with ``Doc.from_array``, which sets the same token fields as spaCy's
``set_token_attrs``; patterns setting anything else (a lexeme's attribute, an extension)
cannot be compiled, and ``install`` keeps the stock ruler.
"""
from __future__ import annotations

import logging
import math
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
from spacy.attrs import DEP, IDS, LEMMA, MORPH, POS, TAG
from spacy.errors import Errors
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.pipeline import AttributeRuler
from spacy.strings import get_string_id
from spacy.tokens import Doc
from spacy.tokens._retokenize import normalize_token_attrs
from spacy.util import minibatch

log = logging.getLogger(__name__)

NAME = "attribute_ruler"
FACTORY = "veille_attribute_ruler"
SETTING = "VEILLE_FAST_ATTRIBUTES"  # "0" keeps spaCy's own ruler (to compare the two): read by nlp.models

# Fields of the token alone: spaCy's set_token_attrs and Doc.from_array both set exactly the
# token's field for these (set_token_attrs also tries the lexeme, which has none of them).
WRITABLE = (TAG, POS, MORPH, LEMMA, DEP)
# Attributes a compiled spec reads: Doc.to_array gives the value the Matcher compares (both read
# spaCy's get_token_attr). SENT_START (a boolean to the Matcher), HEAD, ENT_IOB and the entity
# ids are left to the Matcher. STRINGS hold a string's id, which a REGEX searches.
STRINGS = frozenset(IDS[name] for name in ("ORTH", "LOWER", "NORM", "SHAPE", "PREFIX", "SUFFIX",
                                           "TAG", "DEP", "LEMMA", "ENT_TYPE"))
READABLE = STRINGS | {IDS["LENGTH"], POS, MORPH} | {value for value in IDS.values() if 0 < value < 64}  # + flags
SET_OPERATORS = ("IN", "NOT_IN")


class NotCompilable(ValueError):
    """A ruler's patterns set something the fast ruler cannot write as spaCy would."""


@dataclass(frozen=True, slots=True)
class Column:
    """What a token's class is read from: an attribute, or whether a regular expression finds its string."""

    attr: int
    regex: str | None = None


@dataclass(frozen=True, slots=True)
class Condition:
    """One condition of a token spec: the column's value is (or, negated, is not) among values."""

    column: Column
    values: frozenset[int]
    negated: bool = False


@dataclass(frozen=True, slots=True)
class KeyCache:
    """Per token key seen: its row, the one-token patterns it matches, what they set, the specs it meets."""

    rows: dict[int, int]
    matched: list[tuple[int, ...]]
    values: np.ndarray  # per row and written attribute: the value set
    sets: np.ndarray  # per row and written attribute: whether a pattern sets it
    met: np.ndarray  # per row and spec: whether the key meets it


@dataclass(frozen=True, slots=True)
class Sequence:
    """A pattern of several tokens (or of one token with an index beyond it): its specs' numbers, in order."""

    pattern: int
    steps: tuple[int, ...]


def replace_ruler(nlp: Language) -> bool:
    """Replace the pipeline's attribute ruler by the fast one (same name, same place); False when it keeps spaCy's."""
    if NAME not in nlp.pipe_names:
        return False
    stock = nlp.get_pipe(NAME)
    if not isinstance(stock, AttributeRuler):
        return False
    try:
        compiled = FastAttributeRuler(nlp.vocab, NAME).add_patterns(stock.patterns)
    except NotCompilable as problem:
        log.warning("spaCy's attribute ruler is kept for %s: %s", nlp.meta.get("name"), problem)
        return False
    nlp.replace_pipe(NAME, FACTORY).adopt(compiled)
    return True


install = replace_ruler  # what veille.nlp.models calls, as for nlp.lemmas


@Language.factory(FACTORY)
def make_fast_attribute_ruler(nlp: Language, name: str) -> FastAttributeRuler:
    """Build an empty fast attribute ruler (``install`` fills it from spaCy's)."""
    return FastAttributeRuler(nlp.vocab, name)


class FastAttributeRuler:
    """Set token attributes from AttributeRuler patterns, as spaCy's AttributeRuler does, faster."""

    def __init__(self, vocab: Any, name: str = NAME) -> None:
        self.vocab = vocab
        self.name = name
        self.patterns: list[dict] = []
        self.attrs: list[dict] = []
        self.indices: list[int] = []
        self.steps: list[tuple[Condition, ...]] = []  # the distinct compiled token specs
        self.single: list[tuple[int, int]] = []  # (pattern, step) of one-token patterns
        self.sequences: list[Sequence] = []
        self.matcher = Matcher(vocab)
        self._matcher_keys: dict[int, int] = {}
        self._prepare()

    def adopt(self, other: FastAttributeRuler) -> None:
        """Take another ruler's compiled patterns (built on the same vocab)."""
        for field in ("patterns", "attrs", "indices", "steps", "single", "sequences", "matcher", "_matcher_keys"):
            setattr(self, field, getattr(other, field))
        self._prepare()

    def add_patterns(self, patterns: Iterable[dict]) -> FastAttributeRuler:
        """Add patterns given as AttributeRuler's (``patterns``, ``attrs``, ``index``); return the ruler."""
        for pattern in patterns:
            self._add(pattern["patterns"], pattern["attrs"], pattern.get("index", 0))
        self._prepare()
        return self

    def _add(self, alternatives: list[list[dict]], attrs: dict, index: int) -> None:
        """Compile one pattern's alternatives; those that cannot be compiled go to the Matcher."""
        number = len(self.attrs)
        normalized = normalize_token_attrs(self.vocab, attrs)
        if "_" in normalized or not set(normalized) <= set(WRITABLE):
            raise NotCompilable(f"pattern {number} sets {sorted(map(str, attrs))}, not only {_names(WRITABLE)}")
        self.patterns.append({"patterns": alternatives, "attrs": attrs, "index": index})
        self.attrs.append(normalized)
        self.indices.append(index)
        left = [tokens for tokens in alternatives if not self._compile(number, tokens, index)]
        if left:
            self.matcher.add(str(number), left)
            self._matcher_keys[self.vocab.strings[str(number)]] = number

    def _compile(self, number: int, tokens: list[dict], index: int) -> bool:
        """Compile one alternative of a pattern; False when a spec of it needs the Matcher."""
        specs = [compile_token(spec, self.vocab) for spec in tokens]
        if not tokens or any(spec is None for spec in specs):
            return False
        steps = tuple(self._step(tuple(spec)) for spec in specs)
        if len(steps) == 1 and index in (0, -1):
            self.single.append((number, steps[0]))
        else:
            self.sequences.append(Sequence(number, steps))
        return True

    def _step(self, conditions: tuple[Condition, ...]) -> int:
        """Return the number of a token spec, adding it when new."""
        if conditions not in self.steps:
            self.steps.append(conditions)
        return self.steps.index(conditions)

    def _prepare(self) -> None:
        """Index the compiled specs by the values they name, and start an empty cache of keys."""
        self.written = tuple(attr for attr in WRITABLE if any(attr in attrs for attrs in self.attrs))
        self.classes = TokenClasses(self.steps)
        self.fields = list(dict.fromkeys([*(column.attr for column in self.classes.columns), *self.written]))
        self._regexes = {column: re.compile(column.regex) for column in self.classes.columns if column.regex}
        self._keys = KeyCache({}, [], np.zeros((0, len(self.written)), dtype=np.uint64),
                              np.zeros((0, len(self.written)), dtype=bool), np.zeros((0, len(self.steps)), dtype=bool))

    @property
    def cached_keys(self) -> int:
        """Return how many distinct token keys the cache holds (bounded by the patterns' values)."""
        return len(self._keys.rows)

    def __call__(self, doc: Doc) -> Doc:
        """Set the attributes the patterns give the doc's tokens."""
        self.set_attributes([doc])
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 128) -> Iterator[Doc]:
        """Set the attributes of a stream of docs, a batch at a time."""
        for batch in minibatch(docs, size=batch_size):
            self.set_attributes(batch)
            yield from batch

    def set_attributes(self, docs: list[Doc]) -> None:
        """Match every pattern on the docs' attributes as they are, then write what the patterns set."""
        if not self.written or not docs:
            return
        fields = np.concatenate([doc.to_array(self.fields).reshape(len(doc), len(self.fields)) for doc in docs])
        before = fields[:, [self.fields.index(attr) for attr in self.written]]
        rows, cache = self._rows_of(self.classes.keys(self._columns(fields)))
        after = np.where(cache.sets[rows], cache.values[rows], before)
        lengths = [len(doc) for doc in docs]
        extra = self._sequence_matches(cache.met[rows], lengths)
        self._matcher_matches(docs, lengths, extra)
        for token, numbers in extra.items():
            after[token] = self._apply(before[token], sorted(numbers.union(cache.matched[rows[token]])))
        self._write(docs, lengths, before, after)

    def _columns(self, fields: np.ndarray) -> np.ndarray:
        """Return the batch's value in each class column: the attribute's, or 1 where the regex finds it."""
        columns = np.empty((len(fields), len(self.classes.columns)), dtype=np.uint64)
        strings: dict[int, tuple[list[str], np.ndarray]] = {}
        for place, column in enumerate(self.classes.columns):
            values = fields[:, self.fields.index(column.attr)]
            if column.regex is None:
                columns[:, place] = values
                continue
            if column.attr not in strings:  # each distinct value's string, once per attribute
                unique, inverse = np.unique(values, return_inverse=True)
                strings[column.attr] = [self.vocab.strings[value] for value in unique.tolist()], inverse.reshape(-1)
            texts, inverse = strings[column.attr]
            search = self._regexes[column].search
            columns[:, place] = np.array([search(text) is not None for text in texts], dtype=np.uint64)[inverse]
        return columns

    def _rows_of(self, keys: np.ndarray) -> tuple[np.ndarray, KeyCache]:
        """Return each token's row in the cache of keys, and the cache, the keys not seen yet added."""
        unique, inverse = np.unique(keys, return_inverse=True)
        cache = self._keys
        new = [key for key in unique.tolist() if key not in cache.rows]
        if new:  # one assignment: threads sharing the ruler each see a whole cache
            cache = self._keys = self._extended(cache, new)
        return np.array([cache.rows[key] for key in unique.tolist()], dtype=np.intp)[inverse.reshape(-1)], cache

    def _extended(self, cache: KeyCache, keys: list[int]) -> KeyCache:
        """Return the cache with new keys: which specs they meet, what their one-token patterns set."""
        rows, matched, values, sets, met = dict(cache.rows), list(cache.matched), [], [], []
        for key in keys:
            meets = self.classes.meeting(key)
            numbers = tuple(sorted({number for number, step in self.single if meets[step]}))
            merged = self._merged(numbers)
            rows[key] = len(matched)
            matched.append(numbers)
            values.append([merged.get(attr, 0) for attr in self.written])
            sets.append([attr in merged for attr in self.written])
            met.append(meets)
        return KeyCache(rows, matched, np.vstack([cache.values, np.array(values, dtype=np.uint64)]),
                        np.vstack([cache.sets, np.array(sets, dtype=bool).reshape(len(keys), -1)]),
                        np.vstack([cache.met, np.array(met, dtype=bool).reshape(len(keys), -1)]))

    def _merged(self, patterns: Iterable[int]) -> dict[int, int]:
        """Return the attributes set by patterns applied in order (a later one wins)."""
        merged: dict[int, int] = {}
        for number in patterns:
            merged.update(self.attrs[number])
        return merged

    def _apply(self, before: np.ndarray, patterns: list[int]) -> np.ndarray:
        """Return a token's written attributes once patterns are applied in order."""
        merged = self._merged(patterns)
        return np.array([merged.get(attr, value) for attr, value in zip(self.written, before.tolist())],
                        dtype=np.uint64)

    def _sequence_matches(self, met: np.ndarray, lengths: list[int]) -> dict[int, set[int]]:
        """Return the tokens set by compiled patterns of several tokens: token -> pattern numbers."""
        extra: dict[int, set[int]] = {}
        total = len(met)
        doc_of = np.repeat(np.arange(len(lengths)), lengths)
        for sequence in self.sequences:
            size = len(sequence.steps)
            if size > total:
                continue
            found = doc_of[:total - size + 1] == doc_of[size - 1:]  # a match never crosses two docs
            for offset, step in enumerate(sequence.steps):
                found &= met[offset:total - size + 1 + offset, step]
            for start in np.flatnonzero(found).tolist():
                token = self._target(sequence.pattern, start, start + size, lambda: None)
                extra.setdefault(token, set()).add(sequence.pattern)
        return extra

    def _matcher_matches(self, docs: list[Doc], lengths: list[int], extra: dict[int, set[int]]) -> None:
        """Add the Matcher's matches to the tokens set beyond one-token patterns."""
        if not len(self.matcher):
            return
        for doc, offset in zip(docs, np.cumsum([0, *lengths]).tolist()):
            for key, start, end in self.matcher(doc, allow_missing=True):
                number = self._matcher_keys[key]
                token = self._target(number, start, end, lambda: [t.text for t in doc[start:end]])
                extra.setdefault(offset + token, set()).add(number)

    def _target(self, number: int, start: int, end: int, words: Any) -> int:
        """Return the token a match sets (its pattern's index in the span), raising as spaCy does."""
        index = self.indices[number]
        token = end + index if index < 0 else start + index
        if not start <= token < end:
            raise ValueError(Errors.E1001.format(patterns=self.patterns[number]["patterns"], span=words(),
                                                 index=index))
        return token

    def _write(self, docs: list[Doc], lengths: list[int], before: np.ndarray, after: np.ndarray) -> None:
        """Write into each doc the attributes that changed in it."""
        ends = np.cumsum(lengths)
        changed = np.vstack([before != after, np.zeros((1, len(self.written)), dtype=bool)])  # row for empty docs
        touched = np.logical_or.reduceat(changed, ends - lengths, axis=0)
        for doc, end, columns in zip(docs, ends.tolist(), touched.tolist()):
            if len(doc) and any(columns):
                attrs = [attr for attr, write in zip(self.written, columns) if write]
                doc.from_array(attrs, np.ascontiguousarray(after[end - len(doc):end][:, columns]))


class TokenClasses:
    """Turn each token's column values into one integer key: per column, its value's class."""

    def __init__(self, steps: list[tuple[Condition, ...]]) -> None:
        self.steps = steps
        named: dict[Column, set[int]] = {}
        for conditions in steps:
            for condition in conditions:
                named.setdefault(condition.column, set()).update(condition.values)
        self.columns = tuple(sorted((column for column, values in named.items() if values),
                                    key=lambda column: (column.attr, column.regex or "")))
        self.values = [np.array(sorted(named[column]), dtype=np.uint64) for column in self.columns]
        sizes = [len(values) + 1 for values in self.values]
        if math.prod(sizes) >= 2 ** 63:
            raise NotCompilable("the patterns name too many values for one integer key")
        self.strides = [math.prod(sizes[:place]) for place in range(len(sizes))]
        self._tests = [[self._test(condition) for condition in conditions] for conditions in steps]

    def keys(self, columns: np.ndarray) -> np.ndarray:
        """Return the key of each row of column values (in the order of ``columns``)."""
        keys = np.zeros(len(columns), dtype=np.int64)
        for place, (values, stride) in enumerate(zip(self.values, self.strides)):
            found = np.searchsorted(values, columns[:, place])
            named = values[np.minimum(found, len(values) - 1)] == columns[:, place]
            keys += np.where(named, found + 1, 0) * stride
        return keys

    def meeting(self, key: int) -> list[bool]:
        """Return, for each spec, whether a token of this key meets it."""
        classes = [key // stride % (len(values) + 1) for values, stride in zip(self.values, self.strides)]
        classes.append(0)  # the class of a column no spec names a value of
        return [all((classes[place] in allowed) != negated for place, allowed, negated in tests)
                for tests in self._tests]

    def _test(self, condition: Condition) -> tuple[int, frozenset[int], bool]:
        """Return a condition as (column's place, classes allowed, negated)."""
        if condition.column not in self.columns:  # an empty IN or NOT_IN set: no class is in it
            return len(self.columns), frozenset(), condition.negated
        place = self.columns.index(condition.column)
        found = np.searchsorted(self.values[place], np.array(sorted(condition.values), dtype=np.uint64))
        return place, frozenset((found + 1).tolist()), condition.negated


def compile_token(spec: dict, vocab: Any) -> list[Condition] | None:
    """Return a Matcher token spec as conditions, or None when only a Matcher can read it."""
    conditions = []
    for key, value in spec.items():
        attr = _attribute(key)
        if attr not in READABLE:
            return None
        if isinstance(value, dict):
            operators = _operator_conditions(attr, value, vocab)
            if operators is None:
                return None
            conditions += operators
        else:
            exact = _exact_value(value, vocab)
            if exact is None:
                return None
            conditions.append(Condition(Column(attr), frozenset({exact})))
    return conditions


def _attribute(key: Any) -> int | None:
    """Return the attribute id a spec's key names, as the Matcher reads it (None for OP, _ or unknown)."""
    if isinstance(key, int) and not isinstance(key, bool):
        return key
    if not isinstance(key, str):
        return None
    name = key.upper()
    return IDS.get("ORTH" if name == "TEXT" else name)


def _exact_value(value: Any, vocab: Any) -> int | None:
    """Return the id the Matcher compares an exact value with (None for a type it does not take)."""
    if isinstance(value, str):
        return vocab.strings.add(value)
    if isinstance(value, (bool, int)):
        return int(value)
    return None


def _operator_conditions(attr: int, operators: dict, vocab: Any) -> list[Condition] | None:
    """Return IN, NOT_IN and REGEX operators as conditions (None for any other operator)."""
    conditions = []
    for operator, values in operators.items():
        name = operator.upper() if isinstance(operator, str) else None
        if name == "REGEX" and attr in STRINGS and isinstance(values, str):
            conditions.append(Condition(Column(attr, values), frozenset({1})))
        elif name in SET_OPERATORS and isinstance(values, (list, tuple)) \
                and all(isinstance(value, (str, int)) for value in values):
            conditions.append(Condition(Column(attr), _set_ids(attr, values, vocab), negated=name == "NOT_IN"))
        else:
            return None
    return conditions


def _set_ids(attr: int, values: Iterable[str | int], vocab: Any) -> frozenset[int]:
    """Return the ids the Matcher compares an IN / NOT_IN set's values with."""
    if attr == MORPH:  # the Matcher normalizes morph strings
        return frozenset(vocab.morphology.add(value) for value in values)
    return frozenset(get_string_id(value) for value in values)


def _names(attrs: Iterable[int]) -> list[str]:
    """Return attribute names for a message."""
    names = {value: name for name, value in IDS.items()}
    return [names[attr] for attr in attrs]
