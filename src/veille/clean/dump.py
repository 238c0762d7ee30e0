"""The plain-text page-dump cleaner: keep the article, drop the page around it.

A dump is a web page rendered to crude text, one block per line. The cleaner
1. labels furniture lines from the lexicons (UI words, comment widgets, credit lines,
   the site's learned boilerplate) and runs of short link-like lines;
2. takes the densest run of long sentence-like lines as the article core (a maximum-sum
   segment: long lines add, short ones subtract), extended to neighbouring prose lines;
3. lifts the title (the line the body follows, preferring a repeated headline), the
   section above it, and the byline and date around it into metadata;
4. drops repeated and truncated copies of kept paragraphs ("... Notre...").
Every dropped line is kept in ``Article.removed`` with its reason.
"""
from __future__ import annotations

from collections import Counter

from veille.clean.boilerplate import normalize_line
from veille.clean.lines import (
    Lexicon,
    ends_sentence,
    find_wire_credit,
    has_letters,
    is_ellipsis_cut,
    is_name,
    is_short,
    is_update_line,
    letters_key,
    load_lexicon,
    parse_byline,
    parse_credit,
    parse_date,
    parse_update,
)
from veille.records import Article, Removed

# Labels that take a line out of the article whatever its place; "link_list" is not one of
# them: a short link-like line can still be a title or a byline.
FURNITURE = frozenset({"site_boilerplate", "credit_line", "comment_widget", "related_links", "ui_line",
                       "newsletter", "caption", "no_text", "truncated_copy"})
# Labels a credit line may carry: its own, or the site's boilerplate when the site learned it.
CREDIT_LABELS = frozenset({"credit_line", "site_boilerplate"})
# A related-links heading ("Read more", "Articles liés") is furniture but no barrier: on the dev
# dumps such headings stand inside article bodies as often as after them, see eval/clean.py.
# Labels of the lines that head comments: the body never runs on past them.
BARRIERS = frozenset({"comment_widget"})
# Labels the core is not extended past: the prose line after a newsletter heading is its pitch
# ("Our morning email breaks down ..."), while the core itself may span an inline sign-up box.
EXTENSION_STOPS = BARRIERS | {"newsletter"}

# 80 chars: a line longer than this adds to the core score, a shorter one subtracts; 80 is
# about one short sentence (best body F1 on the dev dumps among 50..120, see eval/clean.py).
CORE_CHARS = 80
# 300 chars: a longer line adds no more, so one long legal footer cannot outweigh a body of
# short paragraphs (best F1 on the dev dumps among 200..500 and no cap).
LINE_CAP = 300
# 3 lines of at most 6 words without a final stop: a menu or a list of links (4 and 8 words
# score the same or lower on the dev dumps).
LINK_RUN = 3
LINK_WORDS = 6
# 5 words ending in a stop: a short prose line next to the core belongs to it.
PROSE_WORDS = 5
# 12 lines above the core: headline, standfirst, byline, date, photo credit and share bar fit.
TITLE_WINDOW = 12
# 2 to 30 words: headlines of the dev dumps are 3 to 25 words long.
TITLE_WORDS = (2, 30)
# 3 words: a repeated shorter line is a menu entry, not a repeated headline.
REPEATED_TITLE_WORDS = 3
# 8 words: breadcrumbs and section names ("Moyen Orient et Monde - Libye") are short.
SECTION_WORDS = 8
# 3 lines: a byline or date stands within three lines of the title or of the body start.
META_REACH = 3
# 40 chars: a shorter stem before an ellipsis matches other paragraphs by chance.
TRUNCATED_STEM = 40


def clean_dump(text: str, known_boilerplate: frozenset[str] = frozenset(),
               language_hint: str | None = None) -> Article:
    """Return the article of a plain-text page dump, with every dropped line and its reason."""
    lexicon = load_lexicon()
    lines = [line for line in (" ".join(raw.split()) for raw in text.splitlines()) if line]
    labels: dict[str, str | None] = {}  # pages repeat their furniture: label each text once
    reasons = [labels[line] if line in labels else labels.setdefault(line, label_line(line, known_boilerplate, lexicon))
               for line in lines]
    mark_link_lists(lines, reasons)
    mark_truncated_copies(lines, reasons)
    article = Article()
    core = find_core(lines, reasons)
    if core is None:
        article.removed = [Removed(line, reason or "outside_core") for line, reason in zip(lines, reasons)]
        return article
    kept = select_paragraphs(lines, reasons, *core)
    lifted = lift_metadata(article, lines, reasons, kept, core[0], lexicon, language_hint)
    drop_copies(lines, reasons, kept, article.title)
    article.wire_source = find_wire_source(lines, reasons, kept, lifted, core, lexicon)
    article.paragraphs = [lines[i] for i in sorted(kept)]
    article.removed = [Removed(lines[i], reasons[i] or "outside_core")
                       for i in range(len(lines)) if i not in kept and i not in lifted]
    article.meta["lifted"] = [lines[i] for i in sorted(lifted)]  # the lines read into metadata
    return article


def label_line(line: str, known_boilerplate: frozenset[str], lexicon: Lexicon) -> str | None:
    """Return why a line is furniture whatever its place on the page, or None."""
    if known_boilerplate and normalize_line(line) in known_boilerplate:
        return "site_boilerplate"
    if not has_letters(line):
        return "no_text"
    if not is_short(line):
        return "caption" if lexicon.is_caption(line) else None
    key = letters_key(line)
    if parse_credit(line, lexicon):
        return "credit_line"
    if key in lexicon.comment_lines:
        return "comment_widget"
    if key in lexicon.related_lines:
        return "related_links"
    if lexicon.is_caption(line):
        return "caption"
    if lexicon.is_newsletter(key):
        return "newsletter"
    if lexicon.is_ui(key):
        return "ui_line"
    return None


def is_link_like(line: str) -> bool:
    """Tell whether a line looks like a link or menu entry: short, without a final stop."""
    return line.count(" ") < LINK_WORDS and not ends_sentence(line)


def mark_link_lists(lines: list[str], reasons: list[str | None]) -> None:
    """Label runs of at least LINK_RUN link-like lines (furniture lines count in the run)."""
    run: list[int] = []
    for i, line in enumerate([*lines, "."]):  # the sentinel "." ends the last run
        if i < len(lines) and (reasons[i] in FURNITURE or is_link_like(line)):
            run.append(i)
            continue
        if len(run) >= LINK_RUN:
            for j in run:
                reasons[j] = reasons[j] or "link_list"
        run = []


def line_score(line: str) -> int:
    """Return a line's contribution to the core: its length (up to LINE_CAP) beyond CORE_CHARS."""
    return min(len(line), LINE_CAP) - CORE_CHARS


def find_core(lines: list[str], reasons: list[str | None]) -> tuple[int, int] | None:
    """Return the first and last index of the densest run of long lines, or None if there is none."""
    best, best_span = 0, None
    running, start = 0, 0
    for i, line in enumerate(lines):
        if reasons[i] in BARRIERS:
            running, start = 0, i + 1
            continue
        if reasons[i] in FURNITURE:
            continue
        if running <= 0:
            running, start = 0, i
        running += line_score(line)
        if running > best:
            best, best_span = running, (start, i)
    return None if best_span is None else extend_core(lines, reasons, *best_span)


def _is_prose(line: str, reason: str | None) -> bool:
    return reason is None and ends_sentence(line) and line.count(" ") + 1 >= PROSE_WORDS


def extend_core(lines: list[str], reasons: list[str | None], start: int, end: int) -> tuple[int, int]:
    """Grow the core over neighbouring prose lines, stepping over furniture lines."""
    for step in (-1, 1):
        i = start + step if step < 0 else end + step
        while 0 <= i < len(lines) and (reasons[i] in FURNITURE - EXTENSION_STOPS
                                       or _is_prose(lines[i], reasons[i])):
            if step < 0 and is_caption_slot(lines, reasons, i):
                break
            if reasons[i] is None:
                start, end = min(start, i), max(end, i)
            i += step
    return start, end


def is_caption_slot(lines: list[str], reasons: list[str | None], i: int) -> bool:
    """Tell whether a line above the body is the caption of a lead photo: short, right under furniture.

    Pages put the photo between the share bar and the body; its caption reads as a short
    sentence ("Le piquet de grève devant la porte 4, mercredi matin."). No dev page loses a
    first paragraph to this rule, see eval/clean.py.
    """
    return reasons[i] is None and len(lines[i]) < CORE_CHARS and i > 0 and reasons[i - 1] in FURNITURE


def select_paragraphs(lines: list[str], reasons: list[str | None], start: int, end: int) -> set[int]:
    """Return the indices of the core lines that are not furniture or link lists, trimmed at the ends."""
    kept = [i for i in range(start, end + 1) if reasons[i] is None]
    while kept and not ends_sentence(lines[kept[-1]]):
        kept.pop()  # a body ends on a sentence; a trailing headline is a teaser
    return set(kept)


def lift_metadata(article: Article, lines: list[str], reasons: list[str | None], kept: set[int],
                  start: int, lexicon: Lexicon, language: str | None) -> set[int]:
    """Fill title, section, byline and date from the lines around the body start; return their indices."""
    lifted: set[int] = set()
    title = find_title(lines, reasons, start, lexicon, language)
    if title is not None:
        article.title = lines[title]
        lifted.add(title)
        section = title - 1
        if section >= 0 and is_section(lines[section], reasons[section], lexicon, language):
            article.section = lines[section]
            lifted.add(section)
    first = start if title is None else title
    for i in range(max(0, first - META_REACH), min(len(lines), start + META_REACH)):
        if i not in lifted and reasons[i] not in FURNITURE:
            lifted |= lift_line(article, lines, i, lexicon, language)
    kept -= lifted
    return lifted


def lift_line(article: Article, lines: list[str], i: int, lexicon: Lexicon, language: str | None) -> set[int]:
    """Lift one line into the byline, the date or the update date when it is one; return the indices used."""
    line = lines[i]
    if article.published is None and not is_update_line(line, lexicon) and (date := parse_date(line, lexicon, language)):
        article.published, article.published_from = date, "text"
        return {i}
    if "updated" not in article.meta and (date := parse_update(line, lexicon, language)):
        article.meta["updated"] = date  # read so that it is neither the publication date nor body text
        return {i}
    if article.byline is None:
        if name := parse_byline(line, lexicon):
            article.byline = name
            return {i}
        if letters_key(line) in lexicon.byline_prefixes and i + 1 < len(lines) and is_name(lines[i + 1], lexicon):
            article.byline = lines[i + 1]
            return {i, i + 1}
    return set()


def _is_title_like(line: str, reason: str | None, lexicon: Lexicon, language: str | None) -> bool:
    words = line.count(" ") + 1
    return (reason not in FURNITURE and TITLE_WORDS[0] <= words <= TITLE_WORDS[1]
            and (not ends_sentence(line) or line.rstrip()[-1] in "?!")
            and parse_byline(line, lexicon) is None and parse_date(line, lexicon, language) is None)


def find_title(lines: list[str], reasons: list[str | None], start: int,
               lexicon: Lexicon, language: str | None) -> int | None:
    """Return the index of the headline: the line the body follows, a repeated one first."""
    window = range(start - 1, max(-1, start - 1 - TITLE_WINDOW), -1)
    candidates = [i for i in window if _is_title_like(lines[i], reasons[i], lexicon, language)]
    if not candidates:
        return None
    counts = Counter(normalize_line(line) for line in lines[:start + 1])  # the page up to the body
    for i in candidates:
        if counts[normalize_line(lines[i])] > 1 and lines[i].count(" ") + 1 >= REPEATED_TITLE_WORDS:
            return i
    return candidates[0]


def is_section(line: str, reason: str | None, lexicon: Lexicon, language: str | None) -> bool:
    """Tell whether the line above the title is a section name or breadcrumb."""
    return (reason not in FURNITURE and line.count(" ") < SECTION_WORDS and not ends_sentence(line)
            and parse_byline(line, lexicon) is None and parse_date(line, lexicon, language) is None)


def mark_truncated_copies(lines: list[str], reasons: list[str | None]) -> None:
    """Label lines that are another line of the page cut short and ended with an ellipsis."""
    longest: dict[str, str] = {}  # the full paragraph is the longest line opening the same way
    for line in lines:
        if len(line) > len(longest.get(line[:TRUNCATED_STEM], "")):
            longest[line[:TRUNCATED_STEM]] = line
    for i, line in enumerate(lines):
        if reasons[i] is None and is_truncated_copy(line, longest):
            reasons[i] = "truncated_copy"


def is_truncated_copy(line: str, longest: dict[str, str]) -> bool:
    """Tell whether a line is a longer line of the page cut short and ended with an ellipsis."""
    if not is_ellipsis_cut(line):
        return False
    stem = line.rstrip(" .…]")
    if len(stem) < TRUNCATED_STEM:
        return False
    full = longest.get(stem[:TRUNCATED_STEM], "")
    return len(full) > len(line) and full.startswith(stem)


def drop_copies(lines: list[str], reasons: list[str | None], kept: set[int], title: str | None) -> None:
    """Drop repeated copies of kept paragraphs and of the title, and links the page repeats."""
    seen: set[str] = set()
    counts = Counter(lines)
    for i in sorted(kept):
        # A line without a final stop that the page repeats is a link to another page.
        if lines[i] in seen or lines[i] == title or counts[lines[i]] > 1 and not ends_sentence(lines[i]):
            kept.discard(i)
            reasons[i] = "duplicate"
        seen.add(lines[i])
    for i, line in enumerate(lines):
        if i not in kept and (line in seen or line == title) and reasons[i] is None:
            reasons[i] = "duplicate"


def find_wire_source(lines: list[str], reasons: list[str | None], kept: set[int], lifted: set[int], core: tuple[int, int],
                     lexicon: Lexicon) -> str | None:
    """Return the wire agency credited next to the body, or named in its dateline."""
    first, last = min(kept | lifted | {core[0]}), core[1] + META_REACH
    credits = [(i, lines[i]) for i in range(max(0, first), min(len(lines), last + 1)) if reasons[i] in CREDIT_LABELS]
    # The dateline opens the first paragraph, maybe after a standfirst.
    openers = [lines[i] for i in sorted(kept)[:2]]
    return find_wire_credit(credits, openers, lexicon)[0]
