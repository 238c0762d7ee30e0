"""Quotes: direct and indirect, with speaker and channel, found by rules over the text.

This module puts an article's quotes together: the direct quotes that marks hold
(``quote_marks``), framed by the words around them (``quote_frames``), and the indirect
ones that reporting verbs and source markers govern (``quote_clauses``); then it merges
the two, drops terms, passes speakers on to the quotes that follow and links each
speaker to an entity. Words are data: ``nlp/data/quotes.<language>.toml``.
"""
from __future__ import annotations

import re
from typing import Any

from veille.nlp.coref import antecedent_subject, entity_at, resolve_reference
from veille.nlp.parse import Paragraph, Parsed
from veille.nlp.quote_embeds import find_posts
from veille.nlp.quote_clauses import MIN_INDIRECT_WORDS, find_indirect
from veille.nlp.quote_frames import (
    TERMINATORS, Found, Frame, frame_direct, frame_plain, is_reporting_verb, speaker_tokens, tokens_between,
    verb_frame, verb_group,
)
from veille.nlp.quote_lexicon import QuoteLexicon, quote_lexicon
from veille.nlp.quote_marks import Marked, find_marked, is_headline, is_speech, quote_runs_on
from veille.records import Entity, Quote, Span, content_id

# An unattributed quote this long is kept (a speaker may come from the context);
# shorter ones with no cue are terms or titles. 8: the best F1 of 5 and 8 on both dev sets
# (eval/quotes.py; French precision 0.889 → 0.906 at the same recall).
MIN_UNATTRIBUTED_WORDS = 8
# Quoted words set in a sentence after a word, with no cue, are a borrowed term below this
# many words (« éléments de langage », « clés en main »). 8: of 5, 8 and 12, the best French
# F1 at 8 with English F1 flat (eval/quotes.py).
MIN_SPEECH_WORDS = 8

# An unattributed quote takes the speaker of a quote at most this many sentences before it.
# 3: on both dev sets the speakers passed on rightly lie within 2 sentences, a wrong one
# ("..., disait X" then an unrelated quote) at 4 (eval/quotes.py).
MAX_INHERIT_SENTENCES = 3

_WORD = re.compile(r"\w+")
_SPEAKER_LABEL = re.compile(r'["“«]?\s*(?P<name>[A-ZÀ-Ý][A-ZÀ-Ý\'’. -]*[A-ZÀ-Ý]):\s')
_AS_GAP = re.compile(r"[\s,]*")
_SERIES_JOIN = re.compile(r"\s*,?\s*")
_SENTENCE_BREAK = re.compile(r"[.!?…][»”\"']?\s")


def find_direct(parsed: Parsed, lexicon: QuoteLexicon) -> list[Found]:
    """Return the direct quotes of an article: quoted words long enough to be speech, with their frames."""
    found: list[Found] = []
    paragraphs = parsed.paragraphs
    for index, paragraph in enumerate(paragraphs):
        following = paragraphs[index + 1] if index + 1 < len(paragraphs) else None
        runs_on = quote_runs_on(paragraph, following, lexicon)
        if is_headline(paragraph.text) and not runs_on:
            continue
        marks = find_marked(paragraph.text, paragraph.start, lexicon, runs_on)
        for marked in marks:
            if marked.depth == 0 and is_speech(parsed.text, marked, lexicon, paragraph.start):
                found.extend(_direct(parsed.text, paragraph, index, marked, lexicon))
            elif marked.depth == 0 and paragraph.doc is not None:
                found.extend(_cued_words(parsed.text, paragraph, index, marked, lexicon))
    return found


def _cued_words(text: str, paragraph: Paragraph, index: int, marked: Marked, lexicon: QuoteLexicon) -> list[Found]:
    """Return quoted words too short for speech when "as" and a reporting verb with its speaker
    follow them ("une « crise majeure », comme prévenait l'ONU"): short words, but someone's."""
    following = _WORD.search(text, marked.close, paragraph.end)
    if following is None or following.group().lower() not in lexicon.as_words \
            or not _AS_GAP.fullmatch(text, marked.close, following.start()):
        return []
    frame = frame_direct(paragraph, marked, lexicon)
    if frame.speaker is None or frame.verb is None or frame.cue[0] < following.start():
        return []
    return [Found(marked.start, marked.end, "direct", frame, index, (marked.open, marked.close))]


def _direct(text: str, paragraph: Paragraph, index: int, marked: Marked, lexicon: QuoteLexicon) -> list[Found]:
    """Return a quote with its frame, or its pieces when an incise ("..., affirme-t-elle. ...") splits it."""
    marks = (marked.open, marked.close)
    if paragraph.doc is None:
        return [Found(marked.start, marked.end, "direct", frame_plain(text, paragraph, marked, lexicon), index, marks)]
    incise = _incise(paragraph, marked, lexicon)
    if incise is None:
        return [Found(marked.start, marked.end, "direct", frame_direct(paragraph, marked, lexicon), index, marks)]
    (cut_start, cut_end), frame = incise
    pieces = [(marked.start, _strip_end(text, marked.start, cut_start)), (_strip_start(text, cut_end, marked.end), marked.end)]
    return [Found(start, end, "direct", frame, index, marks) for start, end in pieces
            if len(_WORD.findall(text[start:end])) > 0]


def _incise(paragraph: Paragraph, marked: Marked, lexicon: QuoteLexicon) -> tuple[tuple[int, int], Frame] | None:
    """Return the stretch of an incise inside a quote (", affirme-t-elle." / ", explique X,") and its frame."""
    tokens = tokens_between(paragraph, marked.start, marked.end)
    for position, verb in enumerate(tokens):
        if not is_reporting_verb(verb, lexicon):
            continue
        group = verb_group(verb, lexicon)
        before = verb.doc[group[0].i - 1] if group[0].i > 0 else None
        if before is None or not _opens_incise(before) or before.idx < marked.start - paragraph.start:
            continue
        speaker = speaker_tokens(verb, lexicon, tokens[position + 1:], before.idx)
        last = max([t.i for t in group] + [t.i for t in speaker])
        end = next((t for t in tokens if t.i > last and (t.text in TERMINATORS or t.text == ",")), None)
        if speaker and end is not None and all(t.i > verb.i or t in group for t in speaker):
            frame = verb_frame(paragraph, verb, tokens[position + 1:], lexicon, speaker=speaker)
            return (paragraph.start + before.idx, paragraph.start + end.idx + 1), frame
    return None


def _opens_incise(token: Any) -> bool:
    """Return True for the punctuation before an incise: a comma or a dash ("– observe-t-il")."""
    return token.text in (",", "–", "—") or (token.text == "-" and bool(token.whitespace_))


def _strip_end(text: str, start: int, end: int) -> int:
    """Return an end offset moved left past spaces and a trailing comma."""
    while end > start and (text[end - 1].isspace() or text[end - 1] == ","):
        end -= 1
    return end


def _strip_start(text: str, start: int, end: int) -> int:
    """Return a start offset moved right past spaces."""
    while start < end and text[start].isspace():
        start += 1
    return start


def find_quotes(parsed: Parsed, entities: list[Entity]) -> list[Quote]:
    """Return the quotes of an article, each with its speaker linked to an entity where clear."""
    lexicon = quote_lexicon(parsed.language)
    posts = find_posts(parsed, lexicon)
    direct = sorted(posts + [d for d in find_direct(parsed, lexicon) if not _is_inside(d, posts)], key=lambda d: d.start)
    _share_trailing_frames(parsed.text, direct, lexicon)
    used = {(d.paragraph, d.frame.verb.i) for d in direct
            if d.frame.verb is not None and not d.frame.ahead and not _is_part_of_clause(parsed.text, d)}
    indirect = find_indirect(parsed, lexicon, used)
    found = [f for f in _merge(parsed.text, direct, indirect) if not _is_term(parsed.text, f)]
    unattributed = {id(f) for f in found if not _is_attributed_enough(parsed.text, f)}
    labelled = _label_speakers(parsed, found)
    _inherit_speakers(parsed, [f for f in found if id(f) not in labelled], entities)
    kept = sorted((f for f in found if _is_attributed_enough(parsed.text, f)
                   and not (id(f) in labelled and id(f) in unattributed)), key=lambda f: (f.start, f.end))
    quotes = [_quote(parsed, f, entities) for f in kept]
    _name_pronoun_speakers(parsed, entities, kept, quotes)
    _name_pronoun_subjects(parsed, lexicon, kept, quotes)
    return quotes


def _share_trailing_frames(text: str, direct: list[Found], lexicon: QuoteLexicon) -> None:
    """Give a run of quotes joined by commas the cue that follows the last of them, when they have
    none of their own: "« une voix douce », « intime et rieuse » selon X" are both X's; so
    are the paragraphs of a quote that runs on from one paragraph to the next."""
    closers = {closing for _, closing in lexicon.marks}
    for first, second in zip(direct[::-1][1:], direct[::-1]):
        joined = first.paragraph == second.paragraph or (
            second.paragraph == first.paragraph + 1 and text[first.marks[1] - 1] not in closers)
        if first.frame.cue is None and second.frame.cue is not None and joined \
                and second.frame.cue[0] >= second.marks[1] and _SERIES_JOIN.fullmatch(text[first.marks[1]:second.marks[0]]):
            first.frame = second.frame


def _is_part_of_clause(text: str, quote: Found) -> bool:
    """Return True for a quote after words of its own sentence ("l'affaire prend une tournure avec
    « ... », détaille X"): its verb reports the whole clause, a mixed quote."""
    if quote.marks is None:
        return False
    opening = text[:quote.marks[0]]
    sentence = re.split(r"[.!?…:;]\s|\n", opening)[-1]
    return len(_WORD.findall(sentence)) >= MIN_INDIRECT_WORDS


def _is_inside(quote: Found, holders: list[Found]) -> bool:
    """Return True when a quote lies within one of some other quotes (a quote inside a quoted post)."""
    return any(h.start <= quote.start and quote.end <= h.end for h in holders)


def _name_pronoun_speakers(parsed: Parsed, entities: list[Entity], found: list[Found], quotes: list[Quote]) -> None:
    """Give a pronoun speaker that no entity resolves the person named last before its quote.

    That person is the named speaker of an earlier quote or a person's name, whichever
    comes later, in the same paragraph or the one before: "Marie Dausse défend son point
    de vue. « ... », affirme-t-elle". Only the speaker's name changes; its phrase stays the pronoun.
    """
    people = [(m.start, m.end, e.name, e.id) for e in entities if e.type == "PER" for m in e.mentions
              if m.kind == "name"]
    for item, quote in zip(found, quotes):
        if item.frame.pronoun and quote.speaker_entity is None:
            low = parsed.paragraphs[max(item.paragraph - 1, 0)].start
            high = min(item.marks[0] if item.marks else item.start, item.frame.speaker[0])
            earlier = [(q.speaker_span.start, q.speaker_span.end, q.speaker, q.speaker_entity)
                       for f, q in zip(found, quotes) if q.speaker_span is not None and not f.frame.pronoun]
            before = [c for c in people + earlier if low <= c[0] and c[1] <= high]
            if before:
                _, _, quote.speaker, quote.speaker_entity = max(before, key=lambda c: c[1])


def _name_pronoun_subjects(parsed: Parsed, lexicon: QuoteLexicon, found: list[Found], quotes: list[Quote]) -> None:
    """Give a pronoun speaker still unnamed the person noun it refers to ("L'anthropologue ... « ... »,
    observe-t-il"); its phrase stays the pronoun."""
    for item, quote in zip(found, quotes):
        if item.frame.pronoun and quote.speaker_entity is None and quote.speaker == quote.speaker_span.text:
            span = antecedent_subject(parsed, *item.frame.speaker, lexicon.speaker_nouns,
                                      item.marks[0] if item.marks else item.start)
            if span is not None:
                quote.speaker = parsed.text[span[0]:span[1]]


def _merge(text: str, direct: list[Found], indirect: list[Found]) -> list[Found]:
    """Join direct and indirect quotes: a clause holding quoted words is mixed, one that is them is dropped."""
    kept_direct = list(direct)
    merged: list[Found] = []
    for clause in indirect:
        holders = [d for d in direct if d.marks[0] <= clause.start and clause.end <= d.marks[1]]
        if holders:  # the quote is the record; a verb outside it is its cue ("''...,'' X, ..., said")
            if not holders[0].marks[0] <= clause.frame.cue[0] < holders[0].marks[1]:
                _lend_frame(holders, clause)
            continue
        inside = [d for d in direct if clause.start < d.marks[1] and d.marks[0] < clause.end]
        if inside:
            clause.start = min([clause.start] + [d.marks[0] for d in inside])
            clause.end = max([clause.end] + [d.marks[1] for d in inside])
            outside = _words_outside(text, clause, inside)
            if outside < MIN_INDIRECT_WORDS:
                _lend_frame(inside, clause)
                continue
            clause.kind = "mixed"
            kept_direct = [d for d in kept_direct if d not in inside]
        if not any(m.start == clause.start and m.end == clause.end for m in merged):
            merged.append(clause)
    return sorted(kept_direct + merged, key=lambda f: (f.start, f.end))


def _words_outside(text: str, clause: Found, inside: list[Found]) -> int:
    """Return how many words of a clause lie outside the quotes it holds."""
    chars = list(text[clause.start:clause.end])
    for quote in inside:
        for offset in range(quote.marks[0], quote.marks[1]):
            if clause.start <= offset < clause.end:
                chars[offset - clause.start] = " "
    return len(_WORD.findall("".join(chars)))


def _lend_frame(quotes: list[Found], clause: Found) -> None:
    """Give a clause's cue and speaker to the quotes it is made of, when they have none."""
    for quote in quotes:
        if quote.frame.speaker is None:
            quote.frame = clause.frame


def _inherit_speakers(parsed: Parsed, found: list[Found], entities: list[Entity]) -> None:
    """Give an unattributed direct quote the speaker of the quote just before it (same or previous
    paragraph, subheads aside, at most MAX_INHERIT_SENTENCES sentences away) when that speaker
    may go on speaking."""
    text = parsed.text
    previous: Found | None = None
    for quote in found:
        if quote.kind == "direct" and quote.frame.speaker is None and previous is not None \
                and _paragraphs_apart(parsed, previous.paragraph, quote.paragraph) <= 1 \
                and len(_SENTENCE_BREAK.findall(text, previous.end, quote.start)) <= MAX_INHERIT_SENTENCES:
            quote.frame = Frame(cue=quote.frame.cue, speaker=previous.frame.speaker, verb=quote.frame.verb,
                                via=quote.frame.via or previous.frame.via, pronoun=previous.frame.pronoun)
        if quote.frame.speaker is not None and _lends_speaker(quote, entities):
            previous = quote


def _label_speakers(parsed: Parsed, found: list[Found]) -> set[int]:
    """Give an unattributed quote the speaker label its paragraph opens with, as in a transcript
    ("SMITH: Well, look, ..."): a name in capitals, then a colon. Return the ids of the quotes labelled
    (a label names who speaks in its paragraph only; it makes no short words speech)."""
    labelled: set[int] = set()
    for quote in found:
        paragraph = parsed.paragraphs[quote.paragraph]
        label = _SPEAKER_LABEL.match(paragraph.text)
        if quote.frame.speaker is None and label is not None and quote.end > paragraph.start + label.end():
            start = paragraph.start + label.start("name")
            quote.frame = Frame(cue=quote.frame.cue, speaker=(start, start + len(label.group("name"))),
                                verb=quote.frame.verb, via=quote.frame.via)
            quote.start = max(quote.start, paragraph.start + label.end())  # the label is no part of the words
            labelled.add(id(quote))
    return labelled


def _paragraphs_apart(parsed: Parsed, first: int, last: int) -> int:
    """Return how many paragraphs lie from one to another, not counting subheads between them."""
    between = parsed.paragraphs[first + 1:last]
    return last - first - sum(1 for p in between if is_headline(p.text))


def _lends_speaker(quote: Found, entities: list[Entity]) -> bool:
    """Return True for a quote whose speaker the next unattributed quote may take: a quoted speaker,
    or a person (a name or a pronoun) reported indirectly; "selon leur étude" lends nothing."""
    if quote.kind != "indirect" or quote.frame.pronoun:
        return True
    entity = entity_at(entities, *quote.frame.speaker)
    return entity is not None and entity.type == "PER"


def _is_attributed_enough(text: str, found: Found) -> bool:
    """Return True for a quote with a speaker or a cue, or one long enough to be speech on its own."""
    if found.frame.speaker is not None or found.frame.cue is not None or _follows_colon(text, found):
        return True
    return len(_WORD.findall(text[found.start:found.end])) >= MIN_UNATTRIBUTED_WORDS


def _follows_colon(text: str, found: Found) -> bool:
    """Return True for quoted words a colon announces ("... laissait filtrer : « ... »"): speech, whoever said it."""
    return found.marks is not None and text[:found.marks[0]].rstrip().endswith(":")


def _is_term(text: str, found: Found) -> bool:
    """Return True for short quoted words with no cue of their own, set in a sentence after a word:
    a term the writer borrows ("des « éléments de langage »"), not speech."""
    if found.kind != "direct" or found.frame.cue is not None or found.frame.speaker is not None:
        return False
    before = text[:found.marks[0]].rstrip()
    return bool(before) and before[-1].isalnum() and len(_WORD.findall(text[found.start:found.end])) < MIN_SPEECH_WORDS


def _quote(parsed: Parsed, found: Found, entities: list[Entity]) -> Quote:
    """Return the Quote record of a found quote, its speaker linked to an entity when one is clear."""
    text = parsed.text[found.start:found.end]
    frame = found.frame
    quote = Quote(id=content_id(f"{found.start}:{found.end}:{text}"), text=text, start=found.start,
                  end=found.end, kind=found.kind, via=frame.via)
    if frame.cue is not None:
        quote.cue = parsed.text[frame.cue[0]:frame.cue[1]]
    if frame.speaker is not None:
        start, end = frame.speaker
        quote.speaker_span = Span(start, end, parsed.text[start:end])
        entity = resolve_reference(parsed, entities, start, end)
        quote.speaker = entity.name if entity is not None else quote.speaker_span.text
        quote.speaker_entity = entity.id if entity is not None else None
    return quote


__all__ = ["QuoteLexicon", "find_direct", "find_indirect", "find_quotes", "is_headline", "is_speech",
           "quote_lexicon"]
