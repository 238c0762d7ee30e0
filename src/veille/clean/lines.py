"""Line features for the dump cleaner: lexicon matches, sentence shape, dates, credits, bylines.

The lexicons are data (``clean/data/<language>.toml`` and ``agencies.toml``), loaded once;
every language's entries are used on every page, because page furniture mixes languages.
"""
from __future__ import annotations

import datetime
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA = Path(__file__).parent / "data"
_LETTERS = re.compile(r"[^\W\d_]+")
# Closing marks that may follow the final stop of a sentence: « ... fin. » or (... fin.)
_CLOSERS = "\"'”’»)]*"
_SENTENCE_END = ".!?…。！？"
_DASHES = "-–—"
# 12: the longest furniture line of the lexicons ("Partager sur Facebook (ouvre une nouvelle
# fenêtre)") has 8 words; prefixes on longer lines start real sentences ("Photographers...").
_MAX_PREFIX_WORDS = 12
# 40: captions are at most a few sentences; a longer line with "©" is a paragraph quoting one.
_MAX_CAPTION_WORDS = 40
# 8: credit lines are short ("(Source : Reuters)", "Additional reporting by AFP").
_MAX_CREDIT_WORDS = 8
# 6: names in bylines ("Sarah E. Needleman and John Smith") have at most six words.
_MAX_NAME_WORDS = 6
# 60: datelines put the agency right after the place ("WASHINGTON, Nov 28 (Reuters) -").
_DATELINE_SPAN = 60
# 120: a date line near the title is short ("Publié le 29 novembre 2016 à 10h00 | Mis à jour ...").
_MAX_DATE_LINE = 120


def letters_key(line: str) -> str:
    """Return a line's letters only, casefolded and space-separated: "Commentaires (0)" -> "commentaires"."""
    return " ".join(_LETTERS.findall(line.casefold()))


def has_letters(line: str) -> bool:
    """Tell whether a line has at least one letter (of any script)."""
    return _LETTERS.search(line) is not None


def is_short(line: str) -> bool:
    """Tell whether a line is short enough to be furniture from the lexicons (at most 12 words)."""
    return line.count(" ") < _MAX_PREFIX_WORDS


def ends_sentence(line: str) -> bool:
    """Tell whether a line ends like a sentence (final stop, maybe inside closing quotes)."""
    stripped = line.rstrip(_CLOSERS + " ")
    return bool(stripped) and stripped[-1] in _SENTENCE_END


def is_ellipsis_cut(line: str) -> bool:
    """Tell whether a line ends in an ellipsis, the mark of a truncated teaser."""
    return line.endswith(("...", "…")) or line.endswith(("... ]", "…]"))


@dataclass(frozen=True, slots=True)
class Lexicon:
    """Every language's cleaning lexicon, merged, keyed by ``letters_key``."""

    ui_lines: frozenset[str]
    ui_prefixes: frozenset[str]
    newsletter_prefixes: frozenset[str]
    comment_lines: frozenset[str]
    related_lines: frozenset[str]
    caption_markers: tuple[str, ...]
    byline_prefixes: frozenset[str]
    staff_bylines: frozenset[str]
    place_words: frozenset[str]
    updated_prefixes: tuple[str, ...]
    months: dict[str, int]
    day_first: dict[str, bool]
    credit_templates: tuple[tuple[str, str], ...]
    agencies: dict[str, str]
    agency_words: frozenset[str]
    joiners: frozenset[str]
    name_joiners: frozenset[str]
    ordinals: tuple[str, ...]
    month_links: tuple[str, ...]

    def is_caption(self, line: str) -> bool:
        """Tell whether a line credits a photo ("Roman Prymula, photo: Archives ...")."""
        if line.count(" ") >= _MAX_CAPTION_WORDS:
            return False
        folded = line.casefold()
        return any(marker in folded for marker in self.caption_markers)

    def is_ui(self, key: str) -> bool:
        """Tell whether a line key is page furniture (a UI word or a UI-led short line)."""
        return key in self.ui_lines or _has_prefix(key, self.ui_prefixes)

    def is_newsletter(self, key: str) -> bool:
        """Tell whether a line key heads a newsletter sign-up box ("Sign up to Herald Briefing")."""
        return _has_prefix(key, self.newsletter_prefixes)


def _has_prefix(key: str, prefixes: frozenset[str]) -> bool:
    """Tell whether a short line key starts with one of the prefixes, word for word."""
    words = key.split(" ", _MAX_PREFIX_WORDS)
    if len(words) > _MAX_PREFIX_WORDS:
        return False
    return any(" ".join(words[:n]) in prefixes for n in range(1, len(words) + 1))


def _keys(words: list[str]) -> list[str]:
    return [letters_key(w) for w in words]


@cache
def load_lexicon() -> Lexicon:
    """Load and merge the lexicons of every language under ``clean/data``."""
    langs = [tomllib.loads(p.read_text(encoding="utf-8")) for p in sorted(DATA.glob("??.toml"))]
    wire = tomllib.loads((DATA / "agencies.toml").read_text(encoding="utf-8"))
    templates = []
    for lang in langs:
        for template in lang["credit"]["templates"]:
            before, _, after = template.partition("{agency}")
            templates.append((letters_key(before), letters_key(after)))
    return Lexicon(
        ui_lines=frozenset(k for lang in langs for k in _keys(lang["ui"]["lines"])),
        ui_prefixes=frozenset(k for lang in langs for k in _keys(lang["ui"]["prefixes"])),
        newsletter_prefixes=frozenset(k for lang in langs for k in _keys(lang["ui"]["newsletter"])),
        comment_lines=frozenset(k for lang in langs for k in _keys(lang["comments"]["lines"])),
        related_lines=frozenset(k for lang in langs for k in _keys(lang["ui"]["related"])),
        caption_markers=tuple(sorted({m.casefold() for lang in langs for m in lang["ui"]["captions"]})),
        byline_prefixes=frozenset(k for lang in langs for k in _keys(lang["byline"]["prefixes"])),
        staff_bylines=frozenset(k for lang in langs for k in _keys(lang["byline"]["staff"])),
        place_words=frozenset(k for lang in langs for k in _keys(lang["byline"]["places"])),
        updated_prefixes=tuple(k for lang in langs for k in _keys(lang["dates"]["updated_prefixes"])),
        months={letters_key(m): n for lang in langs for m, n in lang["dates"]["months"].items()},
        day_first={lang["language"]: lang["dates"]["day_first"] for lang in langs},
        credit_templates=tuple(sorted(set(templates), key=lambda t: (-len(t[0]) - len(t[1]), t))),
        agencies={letters_key(s): name for name, spellings in wire["agencies"].items() for s in spellings},
        agency_words=frozenset(w for spellings in wire["agencies"].values() for s in spellings
                               for w in letters_key(s).split()),
        joiners=frozenset(_keys(wire["credit"]["joiners"])),
        # Casefolded, not letters_key: "&" has no letters.
        name_joiners=frozenset(w.casefold() for lang in langs for w in lang["byline"].get("name_joiners", [])),
        ordinals=tuple(sorted({o.casefold() for lang in langs for o in lang["dates"].get("ordinals", [])})),
        month_links=tuple(sorted({w.casefold() for lang in langs for w in lang["dates"].get("month_links", [])})),
    )


# -- wire credits ----------------------------------------------------------------------

def _agency_list(words: list[str], lexicon: Lexicon) -> str | None:
    """Return the first agency of a run of words made only of agency names and joiners."""
    found, i = [], 0
    while i < len(words):
        if words[i] in lexicon.joiners and found:
            i += 1
            continue
        for size in (3, 2, 1):  # agency spellings have at most three words
            name = lexicon.agencies.get(" ".join(words[i:i + size]))
            if name and i + size <= len(words):
                found.append(name)
                i += size
                break
        else:
            return None
    return found[0] if found else None


def parse_credit(line: str, lexicon: Lexicon) -> str | None:
    """Return the agency a credit line names ("(Source : Reuters)" -> "Reuters"), else None."""
    key = letters_key(line)
    if not key or key.count(" ") >= _MAX_CREDIT_WORDS or lexicon.agency_words.isdisjoint(key.split()):
        return None
    for before, after in lexicon.credit_templates:
        middle = key
        if before:
            if not middle.startswith(before + " "):
                continue
            middle = middle[len(before) + 1:]
        if after:
            if not middle.endswith(" " + after):
                continue
            middle = middle[:-len(after) - 1]
        if not before and not after and line.strip().isalnum():
            continue  # a bare "Reuters" is a link; a credit line carries its marks: "(AFP)", "— Reuters"
        agency = _agency_list(middle.split(), lexicon)
        if agency:
            return agency
    return None


def parse_dateline(paragraph: str, lexicon: Lexicon) -> str | None:
    """Return the agency of a wire dateline opening a paragraph ("PARIS (Reuters) - ..."), else None."""
    head = paragraph[:_DATELINE_SPAN]
    opening = head.find("(")
    closing = head.find(")", opening + 1)
    if opening < 0 or closing < 0:
        return None
    rest = paragraph[closing + 1:].lstrip()
    if not rest or rest[0] not in _DASHES:
        return None
    return _agency_list(letters_key(head[opening + 1:closing]).split(), lexicon)


def find_wire_credit(candidates: Iterable[tuple[int, str]], openers: Iterable[str],
                     lexicon: Lexicon) -> tuple[str | None, int | None]:
    """Return the agency of the first credit line among candidates and its index, else a dateline's agency.

    ``candidates`` are (index, line) pairs in the order to try; ``openers`` are the first
    paragraphs, whose dateline names the agency when no credit line does (index None).
    """
    for index, line in candidates:
        if agency := parse_credit(line, lexicon):
            return agency, index
    for paragraph in openers:
        if agency := parse_dateline(paragraph, lexicon):
            return agency, None
    return None, None


# -- bylines ---------------------------------------------------------------------------

def is_name(text: str, lexicon: Lexicon) -> bool:
    """Tell whether a short text looks like a person's name or a list of names."""
    words = [w for w in text.replace(",", " ").split() if w.casefold() not in lexicon.name_joiners]
    if not 1 <= len(words) <= _MAX_NAME_WORDS or ends_sentence(text) and not text.endswith("."):
        return False
    capitals = sum(w[:1].isupper() for w in words)
    return words[0][:1].isupper() and 2 * capitals >= len(words) and not any(c.isdigit() for c in text)


def is_staff_credit(text: str, lexicon: Lexicon) -> bool:
    """Tell whether a text credits the newsroom ("la rédaction", "Staff", "La rédaction avec AFP")."""
    words = letters_key(text).split()
    for size in range(min(len(words), 4), 0, -1):  # staff credits have at most four words
        if " ".join(words[:size]) in lexicon.staff_bylines:
            rest = " ".join(words[size:])
            if not rest or parse_credit(rest, lexicon) is not None:
                return True
            # A place after the credit keeps its capitals in the text: "... à Bamako".
            place = text.split()[-(len(words) - size - 1):] if len(words) - size > 1 else []
            return words[size] in lexicon.place_words and bool(place) and is_name(" ".join(place), lexicon)
    return False


def parse_byline(line: str, lexicon: Lexicon) -> str | None:
    """Return the name of a byline ("Par Kab Niang" -> "Kab Niang", "Par la rédaction" -> "la rédaction")."""
    words = line.split()
    for size in (3, 2, 1):  # byline prefixes have at most three words ("reporting by")
        if len(words) > size and letters_key(" ".join(words[:size])) in lexicon.byline_prefixes:
            name = " ".join(words[size:]).strip(" :,-–—")
            return name if is_name(name, lexicon) or is_staff_credit(name, lexicon) else None
    stripped = line.strip(" :,-–—")
    return stripped if line.count(" ") < _MAX_NAME_WORDS and is_staff_credit(stripped, lexicon) else None


# -- dates -----------------------------------------------------------------------------

@cache
def _date_patterns() -> tuple[re.Pattern[str], ...]:
    """Compile the date patterns once; month names, ordinal suffixes and links come from the lexicons."""
    lexicon = load_lexicon()
    months = _alternation(lexicon.months)
    ordinals = _alternation(lexicon.ordinals)
    # An optional word between the day and the month ("month_links" in the lexicons).
    links = f"(?:(?:{_alternation(lexicon.month_links)}) )?" if lexicon.month_links else ""
    updates = "|".join(r"\W+".join(map(re.escape, p.split())) for p in lexicon.updated_prefixes)
    return (
        re.compile(rf"(?<!\w)(?:{updates})(?!\w)", re.I),
        re.compile(r"(?<![\w])(\d{4})-(\d{2})-(\d{2})(?!\d)"),
        re.compile(rf"(?<![\w])(\d{{1,2}})(?:{ordinals})?\.? {links}({months})\.?,? (\d{{4}})(?!\d)", re.I),
        re.compile(rf"(?<![\w])({months})\.? (\d{{1,2}})(?:{ordinals})?,? (\d{{4}})(?!\d)", re.I),
        re.compile(r"(?<![\w])(\d{1,2})[/.](\d{1,2})[/.](\d{4})(?!\d)"),
    )


def _alternation(words: Iterable[str]) -> str:
    """Return a regex alternation of words, longest first so that "sept" wins over "sep"."""
    return "|".join(sorted(map(re.escape, words), key=len, reverse=True))


def _make_date(year: str, month: int, day: str) -> str | None:
    try:
        return datetime.date(int(year), month, int(day)).isoformat()
    except ValueError:
        return None


def _numeric_date(a: str, b: str, year: str, day_first: bool) -> str | None:
    first, second = int(a), int(b)
    if first > 12 or (day_first and second <= 12):
        return _make_date(year, second, a)
    return _make_date(year, first, b)


def parse_date(line: str, lexicon: Lexicon, language: str | None) -> str | None:
    """Return the ISO date a short date line states ("Le 17/02/2020" -> "2020-02-17"), else None."""
    if len(line) > _MAX_DATE_LINE:
        return None
    update, iso, day_month, month_day, numeric = _date_patterns()
    text = " ".join(line.split())
    if (match := update.search(text)) and match.start() > 0:
        text = text[:match.start()]  # "Published ... | Updated Nov 23, 2026": the update date is not the one
    if match := iso.search(text):
        return _make_date(match[1], int(match[2]), match[3])
    if match := day_month.search(text):
        return _make_date(match[3], lexicon.months[letters_key(match[2])], match[1])
    if match := month_day.search(text):
        return _make_date(match[3], lexicon.months[letters_key(match[1])], match[2])
    if match := numeric.search(text):
        return _numeric_date(match[1], match[2], match[3], lexicon.day_first.get(language or "", True))
    return None


def parse_update(line: str, lexicon: Lexicon, language: str | None) -> str | None:
    """Return the ISO date a line gives as an update ("Article mis à jour le 7 janvier 2020."), else None."""
    if len(line) > _MAX_DATE_LINE or not (match := _date_patterns()[0].search(line)):
        return None
    return parse_date(line[match.end():], lexicon, language)


def is_update_line(line: str, lexicon: Lexicon) -> bool:
    """Tell whether a date line states an update rather than the publication ("Mis à jour le ...")."""
    key = letters_key(line)
    return any(key.startswith(p) for p in lexicon.updated_prefixes)
