"""Dates: every date expression, resolved against the publication date.

Expressions are found by patterns built once per language from ``nlp/data/dates.<lang>.toml``
(month and weekday names, relative words and their offsets, the words a date takes before
or after it). Each kind of expression has its own rule to resolve it:

- absolute ones ("3 mars 2015", "en août 2014", "en 2011") need no publication date;
- relative ones ("hier", "lundi", "en septembre", "le 3 mars", "la semaine dernière") are
  counted from the publication date and stay unresolved (``resolved`` None) without one;
- a weekday, a month or a day-month without a year points back or forward: a direction
  word says which ("lundi dernier", "next June"), else the tense of the clause from the
  spaCy parse (past, future, "va se rendre"); a clause in the present takes the nearest
  date (the past for a weekday); without a parse, the past, since news mostly reports
  what has happened.

dateparser is not called here: it gives month-only dates a day taken from the base date and
finds nothing in "lundi dernier" or "dimanche soir"; on the matched expressions of the French
dev set it resolves 0.73 of them right against 0.98 for these rules (eval/dates.py), and
tests/nlp/test_dates.py checks that both agree where it is right ("hier", "3 mars 2015").
"""
from __future__ import annotations

import calendar
import functools
import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import chain
from typing import Any

from veille.nlp.lexicon import load_lexicon
from veille.nlp.parse import Parsed
from veille.records import DateRef

PAST, NEAREST, FUTURE = -1, 0, 1
PASSIVE_AUXILIARIES = ("aux:pass", "auxpass")  # UD French and spaCy English labels
BARE_YEARS = range(1800, 2100)  # a number alone is a year only in these two centuries
WORD = re.compile(r"\w+")
GAP = r"[^\S\n]+"  # spaces between the words of one expression, never a line break
YEAR = r"(?:1\d|20)\d\d"
# A year is not part of a longer number: "2 011", "2011,5", "2011 %", "20115".
YEAR_BEFORE = r"(?<![\w.,/°#])(?<!\d[ \u00a0\u202f])"
YEAR_AFTER = r"(?!\w|[.,]\d|[^\S\n]?[%€$£]|[ \u00a0\u202f]\d{3}(?!\d))"


@dataclass(frozen=True, slots=True)
class Found:
    """One date expression before resolution: its offsets, its kind and the words it holds."""

    start: int
    end: int
    kind: str
    groups: dict[str, str]
    grammar: DateGrammar = field(repr=False)  # whose words it is written in


@dataclass(frozen=True, slots=True)
class DateGrammar:
    """The compiled patterns of one language and the word tables its rules read."""

    language: str
    patterns: dict[str, re.Pattern[str]]
    triggers: dict[str, tuple[str, ...]]  # a word (lower, Capitalised, UPPER) → the kinds it can sit in
    reach: int  # how far before its trigger word an expression can start, in characters
    openers: frozenset[str]  # the words an expression can start with (besides numbers)
    months: dict[str, int]
    weekdays: dict[str, int]
    relative_days: dict[str, int]
    generic_in_present: frozenset[str]
    periods: dict[str, tuple[str, int | None]]
    directions: dict[str, int]
    after_year_words: frozenset[str]
    future_verbs: frozenset[str]
    future_modals: frozenset[str]
    also_read: tuple[str, ...]
    numbers: dict[str, int]
    ago_units: dict[str, str]

    def find(self, text: str, kinds: Iterable[str] | None = None,
             words: list[tuple[int, str]] | None = None) -> Iterable[Found]:
        """Yield every match of the patterns (all, or those of some kinds) in the text, overlaps included.

        Scanning the whole text with each pattern took 28 ms per dev-set article (5,600
        characters); so the words are split once, and a pattern is only tried at the word starts
        just before a word that can sit in its kind of expression (a month name, a weekday,
        "hier", a four-digit number): 4 ms on the same machine, the parse aside.
        """
        words = split_words(text) if words is None else words
        starts = [start for start, _ in words]
        tried: set[tuple[str, int]] = set()
        for at, kind in self._triggered(words, kinds):
            for index in range(bisect_left(starts, at - self.reach), bisect_right(starts, at)):
                start, word = words[index]
                if (kind, start) in tried or not (word in self.openers or word[0].isdigit()):
                    continue
                tried.add((kind, start))
                match = self.patterns[kind].match(text, start)
                if match is not None and match.end() > at:
                    groups = {k: v for k, v in match.groupdict().items() if v is not None}
                    yield Found(match.start(), match.end(), kind, groups, self)

    def _triggered(self, words: list[tuple[int, str]], kinds: Iterable[str] | None) -> Iterable[tuple[int, str]]:
        """Yield (offset, kind) for each word that can sit in an expression of a kind (of the kinds asked)."""
        triggers = self.triggers
        for start, word in words:
            found = triggers.get(word) or (YEAR_KIND if len(word) == 4 and word.isdigit() else None)
            for kind in found or ():
                if kinds is None or kind in kinds:
                    yield start, kind


def split_words(text: str) -> list[tuple[int, str]]:
    """Return the (offset, word) of every word of a text."""
    return [(match.start(), match.group()) for match in WORD.finditer(text)]


# -- the grammar, built once per language ------------------------------------------------

@functools.cache
def grammar(language: str | None) -> DateGrammar | None:
    """Return the date grammar of a language, compiled once (None when it has no date lexicon)."""
    lexicon = load_lexicon("dates", language)
    if not lexicon:
        return None
    return DateGrammar(
        language=language or "",
        patterns=_compile_patterns(lexicon),
        triggers=_triggers(lexicon),
        reach=_reach(lexicon),
        openers=_openers(lexicon),
        months=_lowered(lexicon["months"]),
        weekdays=_lowered(lexicon["weekdays"]),
        relative_days={_key(k): v for k, v in lexicon.get("relative_days", {}).items()},
        generic_in_present=frozenset(_key(k) for k in lexicon.get("generic_in_present", [])),
        periods={_key(k): (v["unit"], None if v["offset"] == "tense" else int(v["offset"]))
                 for k, v in lexicon.get("relative_periods", {}).items()},
        directions=_lowered(lexicon.get("direction_words", {})),
        after_year_words=frozenset(lexicon.get("after_year_words", [])),
        future_verbs=frozenset(lexicon.get("future_verbs", [])),
        future_modals=frozenset(lexicon.get("future_modals", [])),
        also_read=tuple(lexicon.get("also_read", [])),
        numbers=_lowered(lexicon.get("numbers", {})),
        ago_units=_lowered(lexicon.get("ago_units", {})),
    )


def _compile_patterns(lexicon: dict[str, Any]) -> dict[str, re.Pattern[str]]:
    """Build the pattern of each kind of expression from the lexicon's words."""
    capital = bool(lexicon.get("capitalized_names"))
    month = _names(lexicon["months"], capital)
    weekday = _names(lexicon["weekdays"], capital)
    direction = _words(lexicon.get("direction_words", {}))
    part = _words(lexicon.get("day_parts", []))
    day = rf"(?:{_words(lexicon.get('first_day', []))}|[0-3]?\d)(?:st|nd|rd|th)?(?!\d)"
    day_prefix = _prefixes(lexicon.get("day_prefixes", []))
    weekday_prefix = _prefixes(lexicon.get("weekday_prefixes", []))
    month_prefix = _prefixes(lexicon.get("month_prefixes", []))
    year_prefix = _prefixes(lexicon.get("year_prefixes", []))
    year = rf"(?P<year>{YEAR}){YEAR_AFTER}"
    optional_year = rf"(?:,?{GAP}{year})?"
    optional_direction = rf"(?:{GAP}(?P<direction>{direction}))?"
    sources = {
        "day_month": rf"{day_prefix}?(?:(?P<weekday>{weekday}),?{GAP})?(?P<day>{day}){GAP}(?:of{GAP})?"
                     rf"(?P<month>{month}){optional_year}{optional_direction}",
        "month_day": rf"{day_prefix}?(?:(?P<weekday>{weekday}),?{GAP})?(?P<month>{month}){GAP}(?P<day>{day})"
                     rf"{optional_year}",
        "month_year": rf"{month_prefix}?(?P<month>{month}),?{GAP}{year}",
        "month": rf"{month_prefix}(?P<month>{month}){optional_direction}",
        "month_direction": rf"(?P<month>{month}){GAP}(?P<direction>{direction})",
        "direction_month": rf"(?P<direction>{direction}){GAP}(?P<month>{month})",
        "year": rf"(?P<prefix>{year_prefix})?{YEAR_BEFORE}{year}",
        "weekday": rf"{weekday_prefix}?(?:(?P<before>{direction}){GAP})?(?P<weekday>{weekday})"
                   rf"{optional_direction}(?:{GAP}{part})?",
        "relative_day": rf"(?P<relative>{_words(lexicon.get('relative_days', {}))})(?:{GAP}{part})?",
        "period": rf"(?P<period>{_words(lexicon.get('relative_periods', {}))})",
        "ago": _ago_pattern(lexicon),
    }
    if not lexicon.get("month_first_dates", True):
        del sources["month_day"]
    return {kind: re.compile(rf"(?<!\w){source}(?!\w)", re.IGNORECASE) for kind, source in sources.items()}


FINENESS = {"day": 0, "week": 1, "month": 2, "year": 3}
YEAR_KIND = ("year",)
MONTH_KINDS = ("day_month", "month_day", "month_year", "month", "month_direction", "direction_month")


def _ago_pattern(lexicon: dict[str, Any]) -> str:
    """Return the pattern of "il y a trois jours", "three days ago" from the lexicon's template."""
    number = rf"(?P<number>\d{{1,3}}|{_words(lexicon.get('numbers', {}))})"
    unit = rf"(?P<unit>{_words(lexicon.get('ago_units', {}))})"
    template = lexicon.get("ago", "")
    if not template:
        return "(?!)"
    pieces = re.split(r"(\{number\}|\{unit\})", template)
    return "".join({"{number}": number, "{unit}": unit}.get(piece) or _literal(piece) for piece in pieces if piece)


def _literal(piece: str) -> str:
    """Return the pattern of the words of a template between its slots, with the gaps around them."""
    if not piece.strip():
        return GAP
    return (GAP if piece[0].isspace() else "") + _phrase(piece) + (GAP if piece[-1].isspace() else "")


def _triggers(lexicon: dict[str, Any]) -> dict[str, tuple[str, ...]]:
    """Map each word that can sit in an expression to its kinds: names, and the longest word of each phrase."""
    triggers: dict[str, set[str]] = {}
    tables = (("months", MONTH_KINDS), ("weekdays", ("weekday",)), ("relative_days", ("relative_day",)),
              ("relative_periods", ("period",)), ("ago_units", ("ago",)))
    for table, kinds in tables:
        for phrase in lexicon.get(table, {}):
            word = max(WORD.findall(phrase.lower()), key=len)
            for form in (word, word.capitalize(), word.upper()):  # the text is never lowercased: offsets stay
                triggers.setdefault(form, set()).update(kinds)
    return {word: tuple(sorted(kinds)) for word, kinds in triggers.items()}


def _openers(lexicon: dict[str, Any]) -> frozenset[str]:
    """Return the first words of every prefix, name and phrase, as written in any case."""
    phrases = [*lexicon.get("months", {}), *lexicon.get("weekdays", {}), *lexicon.get("relative_days", {}),
               *lexicon.get("relative_periods", {}), *lexicon.get("direction_words", {}),
               *lexicon.get("first_day", []), *lexicon.get("month_prefixes", []), *lexicon.get("year_prefixes", []),
               *lexicon.get("day_prefixes", []), *lexicon.get("weekday_prefixes", []),
               *lexicon.get("numbers", {}), lexicon.get("ago", "")]
    firsts = {WORD.match(phrase.lower()).group() for phrase in phrases if WORD.match(phrase)}
    return frozenset(form for word in firsts for form in (word, word.capitalize(), word.upper()))


def _reach(lexicon: dict[str, Any]) -> int:
    """Return how far before its trigger word an expression can start: the longest prefix and phrase, and more."""
    phrases = [*lexicon.get("relative_days", {}), *lexicon.get("relative_periods", {})]
    prefixes = [*lexicon.get("month_prefixes", []), *lexicon.get("year_prefixes", []),
                *lexicon.get("day_prefixes", []), *lexicon.get("weekday_prefixes", [])]
    names = [*lexicon.get("weekdays", {}), *lexicon.get("direction_words", {})]
    # A day-month date can hold, before its month, a prefix, a weekday and a day ("le mardi 12 ").
    longest = max(map(len, [*phrases, *prefixes, lexicon.get("ago", "") + max(lexicon.get("numbers", {"": 0}), key=len)]))
    return longest + max(map(len, names)) + len(" 12th of ") + 2


def _phrase(words: str) -> str:
    """Return the pattern of a lexicon phrase: any apostrophe, any spaces between its words."""
    escaped = re.escape(words.strip())
    return escaped.replace("'", "['’]").replace(r"\ ", GAP).replace(" ", GAP)


def _words(words: Iterable[str]) -> str:
    """Return an alternation of lexicon phrases, longest first so the longest one wins."""
    return "(?:" + ("|".join(_phrase(w) for w in sorted(words, key=len, reverse=True)) or "(?!)") + ")"


def _names(table: dict[str, int], capital: bool) -> str:
    """Return the alternation of month or weekday names; case-sensitive and capitalised if asked."""
    if not capital:
        return _words(table)
    return "|".join(f"(?-i:{_phrase(name[:1].upper() + name[1:])})"
                    for name in sorted(table, key=len, reverse=True))


def _prefixes(words: list[str]) -> str:
    """Return an optional-free group of the words a date takes before it, each with its gap."""
    alternatives = [_phrase(w) + ("" if w.endswith(("-", "'")) else GAP)
                    for w in sorted(words, key=len, reverse=True)]
    return f"(?:{'|'.join(alternatives) or '(?!)'})"


def _key(words: str) -> str:
    """Return the lookup key of a phrase: lowercase, one straight apostrophe, single spaces."""
    return " ".join(words.lower().replace("’", "'").split())


def _lowered(table: dict[str, int]) -> dict[str, int]:
    """Return a word table keyed by lowercase words."""
    return {_key(k): v for k, v in table.items()}


# -- finding -----------------------------------------------------------------------------

def find_dates(parsed: Parsed) -> list[DateRef]:
    """Return the date expressions of an article, resolved against its publication date."""
    rules = grammar(parsed.language)
    if rules is None or not parsed.text:
        return []
    context = Context(parsed, rules, _anchor(parsed.published))
    refs = (context.resolve(found) for found in _find_all(rules, parsed.text))
    return _longest_first([ref for ref in refs if ref is not None])


def _find_all(rules: DateGrammar, text: str) -> Iterable[Found]:
    """Yield the expressions of the text's language, and full dates written in the other languages it reads."""
    words = split_words(text)
    yield from rules.find(text, words=words)
    for language in rules.also_read:
        other = grammar(language)
        if other is not None:
            yield from (found for found in other.find(text, FULL_DATE_KINDS, words) if "year" in found.groups)


def _anchor(published: str | None) -> date | None:
    """Return the publication date as a date (None when missing or malformed)."""
    try:
        return date.fromisoformat(published[:10]) if published else None
    except ValueError:
        return None


def _longest_first(refs: list[DateRef]) -> list[DateRef]:
    """Keep the longest of overlapping expressions (the finest, then the earliest on a tie), in text order.

    The finest wins a tie: "Sept. 11" (a day) over "in Sept." (a month) in "in Sept. 11 attacks".
    """
    kept: list[DateRef] = []
    taken: list[tuple[int, int]] = []
    for ref in sorted(refs, key=lambda r: (r.start - r.end, FINENESS.get(r.granularity or "", 9), r.start)):
        if all(ref.end <= start or ref.start >= end for start, end in taken):
            kept.append(ref)
            taken.append((ref.start, ref.end))
    return sorted(kept, key=lambda r: r.start)


class Context:
    """What resolving one article's expressions needs: its text, parse, grammar and anchor date."""

    def __init__(self, parsed: Parsed, rules: DateGrammar, anchor: date | None) -> None:
        self.parsed = parsed
        self.rules = rules
        self.anchor = anchor
        self._starts = [paragraph.start for paragraph in parsed.paragraphs]
        self._tokens: dict[tuple[int, int], Any] = {}

    def resolve(self, found: Found) -> DateRef | None:
        """Return the DateRef of a found expression, or None when it is not a date after all."""
        rule = RULES[found.kind]
        result = rule(self, found)
        if result is None:
            return None
        resolved, granularity = result
        return DateRef(self.parsed.text[found.start:found.end], found.start, found.end, resolved, granularity)

    def direction(self, found: Found, word: str | None = None) -> int:
        """Return where an expression points: its direction word, else its clause's tense.

        A clause in the present, or no verb found, gives NEAREST ("à compter du 5 mars" in a
        text of February): the rules take the date closest to publication. Without a parse,
        the past: news mostly reports what has happened.
        """
        if word:
            return found.grammar.directions[_key(word)]
        if self.token(found) is None:
            return PAST
        return {"past": PAST, "future": FUTURE}.get(self.tense(found) or "", NEAREST)

    def tense(self, found: Found) -> str | None:
        """Return the tense of the clause holding an expression: past, present, future or None."""
        token = self.token(found)
        if token is None:
            return None
        # The verbs it hangs from first; when the parse hangs it from none (a clause the model
        # broke), the nearest verb of the sentence.
        for verb in chain(token.ancestors, _lazy(lambda: sorted(token.sent, key=lambda o: abs(o.i - token.i)))):
            tense = verb_tense(_verb_group_head(verb), self.rules) if verb.pos_ in ("VERB", "AUX") else None
            if tense is not None:
                return tense
        return None

    def token(self, found: Found) -> Any | None:
        """Return the head token of an expression in its paragraph's parse (None without a parse)."""
        key = (found.start, found.end)
        if key not in self._tokens:
            self._tokens[key] = self._find_token(found)
        return self._tokens[key]

    def _find_token(self, found: Found) -> Any | None:
        """Return the root token of the span of a found expression in its paragraph's doc."""
        index = bisect_right(self._starts, found.start) - 1
        paragraph = self.parsed.paragraphs[index] if index >= 0 else None
        if paragraph is None or paragraph.doc is None:
            return None
        span = paragraph.doc.char_span(found.start - paragraph.start, found.end - paragraph.start,
                                       alignment_mode="expand")
        return span.root if span is not None and len(span) else None


def verb_tense(verb: Any, rules: DateGrammar) -> str | None:
    """Return the tense of a verb with its auxiliaries (None for an infinitive or a gerund)."""
    group = [verb, *(child for child in verb.children if child.dep_.startswith("aux") or child.dep_ == "cop")]
    # A passive takes its tense from its auxiliary ("est adopté" is present), not its participle.
    passive = any(child.dep_ in PASSIVE_AUXILIARIES for child in group)
    tenses = {tense for token in group if not (passive and token is verb) for tense in token.morph.get("Tense")}
    finite = {tense for token in group if "Fin" in token.morph.get("VerbForm") for tense in token.morph.get("Tense")}
    if "Fut" in tenses or any(t.tag_ == "MD" and t.lower_ in rules.future_modals for t in group):
        return "future"
    if verb.lemma_ in rules.future_verbs and finite <= {"Pres"} and _governs_infinitive(verb):
        return "future"
    if "Cnd" in verb.morph.get("Mood") and "Part" not in verb.morph.get("VerbForm"):
        return "future"
    if tenses & {"Past", "Imp"}:
        return "past"
    return "present" if finite else None


def _lazy(make: Callable[[], Iterable[Any]]) -> Iterable[Any]:
    """Yield from an iterable made only when the first item is asked for."""
    yield from make()


def _verb_group_head(verb: Any) -> Any:
    """Return the verb an auxiliary or copula belongs to (the verb itself otherwise)."""
    return verb.head if verb.dep_.startswith("aux") or verb.dep_ == "cop" else verb


def _governs_infinitive(verb: Any) -> bool:
    """Return True when a verb governs an infinitive ("va se rendre", "is going to visit")."""
    return any(child.dep_ in ("xcomp", "ccomp") and child.pos_ in ("VERB", "AUX") and
               not child.morph.get("Tense") for child in verb.children)


# -- resolving, one rule per kind ----------------------------------------------------------

Resolution = tuple[str | None, str]


def resolve_day_month(context: Context, found: Found) -> Resolution | None:
    """Resolve "le 3 mars", "March 3, 2015": the year given, else the one the direction points to."""
    rules, groups = found.grammar, found.groups
    month, day = rules.months[_key(groups["month"])], _day_number(groups["day"])
    if not 1 <= day <= 31:
        return None
    if "year" in groups:
        resolved = _iso_day(int(groups["year"]), month, day)
        return (resolved, "day") if resolved else None
    if context.anchor is None:
        return None, "day"
    year = _year_of(context.anchor, (month, day), context.direction(found, groups.get("direction")))
    return _iso_day(year, month, day), "day"


def resolve_month_year(context: Context, found: Found) -> Resolution | None:
    """Resolve "en août 2014", "September 2015"."""
    return f"{int(found.groups['year']):04d}-{found.grammar.months[_key(found.groups['month'])]:02d}", "month"


def resolve_month(context: Context, found: Found) -> Resolution | None:
    """Resolve "en septembre", "juin dernier": the month in the year the direction points to."""
    month = found.grammar.months[_key(found.groups["month"])]
    if context.anchor is None:
        return None, "month"
    year = _year_of(context.anchor, (month, 0), context.direction(found, found.groups.get("direction")))
    return f"{year:04d}-{month:02d}", "month"


def resolve_year(context: Context, found: Found) -> Resolution | None:
    """Resolve "en 2011", "2008"; a bare number must look like a year, not a count."""
    year = int(found.groups["year"])
    if "prefix" not in found.groups and not (year in BARE_YEARS and _is_bare_year(context, found)):
        return None
    return f"{year:04d}", "year"


def _is_bare_year(context: Context, found: Found) -> bool:
    """Return True when a number alone is a year: not counting a noun ("2011 personnes")."""
    token = context.token(found)
    if token is not None:
        return token.dep_ != "nummod"
    after = re.match(r"[^\S\n]+(\w+)", context.parsed.text[found.end:found.end + 40])
    return after is None or not after.group(1)[0].islower() or after.group(1) in found.grammar.after_year_words


def resolve_weekday(context: Context, found: Found) -> Resolution | None:
    """Resolve "lundi", "last Monday", "dimanche soir": the weekday the direction points to."""
    if context.anchor is None:
        return None, "day"
    weekday = found.grammar.weekdays[_key(found.groups["weekday"])]
    word = found.groups.get("direction") or found.groups.get("before")
    direction = context.direction(found, word) or PAST  # a weekday in the present: news reports the past
    return _weekday_from(context.anchor, weekday, direction, strict=word is not None).isoformat(), "day"


def resolve_relative_day(context: Context, found: Found) -> Resolution | None:
    """Resolve "hier", "avant-hier", "yesterday"; "aujourd'hui" in the present means nowadays, not a day."""
    key = _key(found.groups["relative"])
    if key in found.grammar.generic_in_present and context.tense(found) == "present":
        return None
    if _is_capitalized_inside_sentence(context.parsed.text, found.start):
        return None  # part of a name: "USA Today", "Russia Today"
    if context.anchor is None:
        return None, "day"
    return (context.anchor + timedelta(days=found.grammar.relative_days[key])).isoformat(), "day"


def _is_capitalized_inside_sentence(text: str, start: int) -> bool:
    """Return True when a word starts with a capital right after another word and a space."""
    return text[start].isupper() and start >= 2 and text[start - 1] == " " and text[start - 2].isalnum()


def resolve_period(context: Context, found: Found) -> Resolution | None:
    """Resolve "la semaine dernière", "le mois dernier", "l'an dernier", "ce week-end"."""
    unit, offset = found.grammar.periods[_key(found.groups["period"])]
    if unit != "weekend":
        return _shifted(context.anchor, unit, offset)
    if context.anchor is None:
        return None, "week"
    direction = offset if offset is not None else context.direction(found) or PAST
    day = _weekend_from(context.anchor, direction, offset is not None)
    return (day - timedelta(days=day.weekday())).isoformat(), "week"


def resolve_ago(context: Context, found: Found) -> Resolution | None:
    """Resolve "il y a trois jours", "two weeks ago": that many units before publication."""
    number, words = found.groups["number"], found.grammar
    count = int(number) if number.isdigit() else words.numbers[_key(number)]
    return _shifted(context.anchor, words.ago_units[_key(found.groups["unit"])], -count)


def _shifted(anchor: date | None, unit: str, offset: int) -> Resolution:
    """Return the day, week (its Monday), month or year that many units away from the anchor."""
    if anchor is None:
        return None, unit
    if unit == "year":
        return f"{anchor.year + offset:04d}", "year"
    if unit == "month":
        year, month = divmod(anchor.year * 12 + anchor.month - 1 + offset, 12)
        return f"{year:04d}-{month + 1:02d}", "month"
    if unit == "day":
        return (anchor + timedelta(days=offset)).isoformat(), "day"
    day = anchor + timedelta(weeks=offset)
    return (day - timedelta(days=day.weekday())).isoformat(), "week"


FULL_DATE_KINDS = ("day_month", "month_day")

RULES: dict[str, Callable[[Context, Found], Resolution | None]] = {
    "day_month": resolve_day_month,
    "month_day": resolve_day_month,
    "month_year": resolve_month_year,
    "month": resolve_month,
    "month_direction": resolve_month,
    "direction_month": resolve_month,
    "year": resolve_year,
    "weekday": resolve_weekday,
    "relative_day": resolve_relative_day,
    "period": resolve_period,
    "ago": resolve_ago,
}


# -- calendar arithmetic ------------------------------------------------------------------

def _day_number(text: str) -> int:
    """Return the day number of "3", "03", "3rd", "1er", "premier"."""
    digits = re.match(r"\d+", text)
    return int(digits.group()) if digits else 1


def _iso_day(year: int, month: int, day: int) -> str | None:
    """Return a day as ISO, or None when it does not exist (31 April)."""
    if day > calendar.monthrange(year, month)[1]:
        return None
    return date(year, month, day).isoformat()


def _year_of(anchor: date, month_day: tuple[int, int], direction: int) -> int:
    """Return the year of a month (day 0) or month-day: the last one up to the anchor, the next one, or the nearest."""
    here = (anchor.month, anchor.day if month_day[1] else 0)
    if direction == PAST:
        return anchor.year if month_day <= here else anchor.year - 1
    if direction == FUTURE:
        return anchor.year if month_day >= here else anchor.year + 1
    position = lambda year, month, day: year * 372 + month * 31 + day  # noqa: E731 (monotonic, not exact)
    return min((anchor.year - 1, anchor.year, anchor.year + 1),
               key=lambda year: (abs(position(year, *month_day) - position(anchor.year, *here)), year))


def _weekday_from(anchor: date, weekday: int, direction: int, strict: bool = False) -> date:
    """Return the weekday the direction points to; the anchor day itself counts unless strict."""
    days = (anchor.weekday() - weekday) % 7 if direction == PAST else (weekday - anchor.weekday()) % 7
    if strict and days == 0:
        days = 7
    return anchor + timedelta(days=days * direction)


def _weekend_from(anchor: date, direction: int, strict: bool) -> date:
    """Return the Saturday of the week-end the direction points to (not the anchor's own when strict)."""
    saturday = _weekday_from(anchor, 5, direction)
    if strict and direction == PAST and anchor.weekday() >= 5:
        saturday -= timedelta(weeks=1)
    return saturday
