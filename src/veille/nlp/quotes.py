"""Quotes: direct and indirect, with speaker and channel, found by rules over the text.

Direct quotes are found from the quote marks in the text, never from the model's
sentences (the models cut sentences at the full stops inside a quote). The words next
to the marks give the cue ("», a déclaré X", "X said: \\""), the speaker (the subject
of the reporting verb, in the paragraph's parse) and the channel ("rapporte l'agence
Tass", "told Reuters"). Indirect quotes are the clause a reporting verb governs ("il a
dit avoir eu...", "X said that...") or the sentence a source marker frames ("selon X").
Marks, verbs, markers and channel words are data: ``nlp/data/quotes.<language>.toml``.
"""
from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from veille.nlp.coref import resolve_reference
from veille.nlp.lexicon import languages_with, load_lexicon
from veille.nlp.parse import Paragraph, Parsed
from veille.records import Entity, Quote, Span, content_id

# Two words or fewer inside marks is a scare quote or a term (« moralisation »,
# "fake news"), not speech: the French dev gold's guideline (data/dev/french-news-gold).
MAX_SCARE_WORDS = 2
# An unattributed quote this long is kept (a speaker may come from the context);
# shorter ones with no cue are terms or titles. 8: the best F1 of 5 and 8 on both dev sets
# (eval/quotes.py; French precision 0.889 → 0.906 at the same recall).
MIN_UNATTRIBUTED_WORDS = 8
# Quoted words set in a sentence after a word, with no cue, are a borrowed term below this
# many words (« éléments de langage », « clés en main »). 8: of 5, 8 and 12, the best French
# F1 at 8 with English F1 flat (eval/quotes.py).
MIN_SPEECH_WORDS = 8
# The cue must stand this close to the mark (in tokens, past punctuation and the
# subject): farther, the verb belongs to another clause. 6 holds ", a-t-il déclaré" and
# ", Senator John Smith said"; a cue past a longer apposition comes from the parse instead.
MAX_CUE_DISTANCE = 6
# Indirect content shorter than this is a noun object ("expliqué ses besoins"), not a report.
MIN_INDIRECT_WORDS = 3
# A paragraph with no final punctuation and at most this many words is a headline (or a
# subhead). 25: the longest title of the PolNeAR dev articles has 18 words, a margin above it.
MAX_HEADLINE_WORDS = 25

_WORD = re.compile(r"\w+")
_TERMINATORS = {".", "!", "?", ";", "…"}
_SENTENCE_END = re.compile(r"[.!?…:)\]][\s»”\"']*$")
_BREAKS = {",", "(", ")", "–", "—", ";", ":", "[", "]"}
_CUT_DEPS = {"relcl", "acl:relcl", "acl", "parataxis", "punct", "advcl", "dep"}
_SUBJECT_DEPS = {"nsubj", "nsubj:pass", "nsubjpass", "csubj"}
_CLAUSE_DEPS = {"ccomp", "xcomp"}
_OBJECT_DEPS = {"obj", "iobj", "dobj", "dative", "obl", "obl:arg", "obl:mod", "pobj", "prep", "nmod"}


# -- lexicon ------------------------------------------------------------------------------

@dataclass(frozen=True)
class QuoteLexicon:
    """The quote words of one language, read from its data file."""

    marks: tuple[tuple[str, str], ...]
    verbs: frozenset[str] = frozenset()
    forms: frozenset[str] = frozenset()
    markers: tuple[tuple[str, ...], ...] = ()
    initial_markers: tuple[tuple[str, ...], ...] = ()
    channel_verbs: frozenset[str] = frozenset()
    channel_nouns: frozenset[str] = frozenset()
    channels: frozenset[str] = frozenset()
    via_verbs: frozenset[str] = frozenset()
    title_nouns: frozenset[str] = frozenset()
    inverted_pronouns: frozenset[str] = frozenset()
    speaker_nouns: frozenset[str] = frozenset()
    generic_subjects: frozenset[str] = frozenset()

    @property
    def openers(self) -> dict[str, list[str]]:
        """Return {opening mark: [closing marks]}."""
        found: dict[str, list[str]] = {}
        for opening, closing in self.marks:
            found.setdefault(opening, []).append(closing)
        return found


@functools.cache
def quote_lexicon(language: str | None) -> QuoteLexicon:
    """Return a language's quote lexicon; without one, the marks of every known language only."""
    data = load_lexicon("quotes", language)
    if not data:
        return QuoteLexicon(marks=_all_marks())
    words = lambda key: frozenset(word.lower() for word in data.get(key, []))  # noqa: E731
    phrases = lambda key: tuple(tuple(_phrase_words(p)) for p in data.get(key, []))  # noqa: E731
    return QuoteLexicon(
        marks=tuple(tuple(pair) for pair in data.get("marks", [])) or _all_marks(),
        verbs=words("verbs"), forms=words("forms"), markers=phrases("markers"),
        initial_markers=phrases("initial_markers"), channel_verbs=words("channel_verbs"),
        channel_nouns=words("channel_nouns"), channels=frozenset(data.get("channels", [])),
        via_verbs=words("via_verbs"), title_nouns=words("title_nouns"),
        inverted_pronouns=words("inverted_pronouns"),
        speaker_nouns=words("speaker_nouns") | _role_nouns(language), generic_subjects=words("generic_subjects"))


def _role_nouns(language: str | None) -> frozenset[str]:
    """Return the nouns that name what a person does ("ministre", "toxicologue"), from the entity lexicon."""
    return frozenset(word.lower() for word in load_lexicon("entities", language).get("role_nouns", []))


def _all_marks() -> tuple[tuple[str, str], ...]:
    """Return the quote-mark pairs of every language that has a quote lexicon."""
    pairs: list[tuple[str, str]] = []
    for language in languages_with("quotes"):
        for pair in load_lexicon("quotes", language).get("marks", []):
            if tuple(pair) not in pairs:
                pairs.append(tuple(pair))
    return tuple(pairs)


def _phrase_words(phrase: str) -> list[str]:
    """Split a marker phrase into the lowercase tokens a parse gives ("d'après" → "d'", "après")."""
    return [word for word in re.findall(r"\w+['’]?|[^\w\s]", phrase.lower())]


# -- quote marks ------------------------------------------------------------------------

@dataclass(slots=True)
class Marked:
    """Words between quote marks: offsets of the marks and of the trimmed inner text."""

    open: int
    close: int  # offset past the closing mark (the paragraph's end when the quote runs on)
    start: int
    end: int
    depth: int = 0


def find_marked(text: str, start: int, lexicon: QuoteLexicon, runs_on: bool = False) -> list[Marked]:
    """Return the quoted stretches of one paragraph (offsets shifted by start), nested ones too."""
    openers = lexicon.openers
    marks = sorted({mark for pair in lexicon.marks for mark in pair}, key=len, reverse=True)
    stack: list[tuple[int, str]] = []
    found: list[Marked] = []
    index = 0
    while index < len(text):
        mark = next((m for m in marks if text.startswith(m, index)), None)
        if mark is None:
            index += 1
            continue
        if stack and mark in openers.get(stack[-1][1], ()) and index > stack[-1][0] + len(stack[-1][1]):
            opened, opening = stack.pop()
            found.append(_marked(text, start, (opened, opened + len(opening)), (index, index + len(mark)), len(stack)))
        elif mark in openers and _may_open(text, index):
            stack.append((index, mark))
        index += len(mark)
    if stack and runs_on:  # a quote that goes on in the next paragraph ends with this one
        opened, opening = stack[0]
        found.append(_marked(text, start, (opened, opened + len(opening)), (len(text), len(text)), 0))
    return sorted(found, key=lambda m: m.open)


def _may_open(text: str, index: int) -> bool:
    """Return True when a mark can open a quote here (not a mark glued after a word, like 12")."""
    return index == 0 or not text[index - 1].isalnum() or text[index] not in "\"”"


def _marked(text: str, start: int, opening: tuple[int, int], closing: tuple[int, int], depth: int) -> Marked:
    """Return a Marked (from the opening mark to past the closing one), its inner text trimmed of
    spaces and of a trailing comma."""
    (opened, inner_start), (inner_end, closed) = opening, closing
    while inner_start < inner_end and text[inner_start].isspace():
        inner_start += 1
    while inner_end > inner_start and (text[inner_end - 1].isspace() or text[inner_end - 1] == ","):
        inner_end -= 1
    return Marked(start + opened, start + closed, start + inner_start, start + inner_end, depth)


def _runs_on(paragraph: Paragraph, following: Paragraph | None, lexicon: QuoteLexicon) -> bool:
    """Return True when the next paragraph opens with a mark: the quote goes on there."""
    return following is not None and any(following.text.startswith(mark) for mark in lexicon.openers)


# -- tokens and phrases -----------------------------------------------------------------

@dataclass(slots=True)
class Frame:
    """What the words around a quote say: cue, speaker phrase, channel."""

    cue: tuple[int, int] | None = None
    speaker: tuple[int, int] | None = None
    via: str | None = None
    verb: Any | None = None
    tokens_used: set[int] = field(default_factory=set)
    pronoun: bool = False  # the speaker phrase is a lone pronoun: its referent may come from the context
    ahead: bool = False  # the cue comes before the quote ("X said that, « ... »"): its clause may hold more


def _tokens(paragraph: Paragraph, start: int, end: int) -> list[Any]:
    """Return the paragraph's tokens that lie between two text offsets."""
    if paragraph.doc is None:
        return []
    low, high = start - paragraph.start, end - paragraph.start
    return [token for token in paragraph.doc if token.idx >= low and token.idx + len(token) <= high]


def _span_of(paragraph: Paragraph, tokens: list[Any]) -> tuple[int, int]:
    """Return the text offsets covering a run of tokens."""
    first, last = min(tokens, key=lambda t: t.i), max(tokens, key=lambda t: t.i)
    return paragraph.start + first.idx, paragraph.start + last.idx + len(last)


def _is_verb(token: Any, lexicon: QuoteLexicon) -> bool:
    """Return True for a reporting verb (by lemma, or by form when the lemmatizer missed)."""
    if token.pos_ not in ("VERB", "AUX") and token.lower_ not in lexicon.forms:
        return False
    return token.lemma_.lower() in lexicon.verbs or token.lower_ in lexicon.forms


def _phrase(head: Any) -> list[Any]:
    """Return the noun phrase a head token stands for, without appositions, clauses or commas."""
    if head.pos_ == "PRON":
        return [head]
    keep = {head.i}
    for child in head.children:
        if not _is_cut(child) and not _is_clause(child):
            keep.update(t.i for t in child.subtree)
    run = _contiguous(sorted(i for i in keep if not head.doc[i].is_quote), head.i)
    tokens = [t for t in head.doc[run[0]:run[-1] + 1]]
    return _trim(tokens)


def _is_cut(child: Any) -> bool:
    """Return True for a dependent that is no part of a name: a clause, or an apposition after a comma."""
    if child.dep_ == "appos":
        between = child.doc[min(child.i, child.head.i):max(child.i, child.head.i)]
        return any(t.is_punct for t in between)
    if child.text == "-" and not child.whitespace_ and not child.doc[child.i - 1].whitespace_:
        return False  # the hyphen inside a name: "Holtz-Eakin"
    return child.dep_ in _CUT_DEPS


def _is_clause(token: Any) -> bool:
    """Return True for a token heading a clause (a verb with a subject, or a relative pronoun)."""
    return token.pos_ == "VERB" and any(c.dep_ in _SUBJECT_DEPS for c in token.children)


def _contiguous(indices: list[int], around: int) -> list[int]:
    """Return the run of consecutive indices that holds `around`."""
    low = high = around
    present = set(indices)
    while low - 1 in present:
        low -= 1
    while high + 1 in present:
        high += 1
    return list(range(low, high + 1))


def _trim(tokens: list[Any]) -> list[Any]:
    """Drop punctuation and quote marks at both ends of a run of tokens."""
    while tokens and (tokens[0].is_punct or tokens[0].is_space):
        tokens = tokens[1:]
    while tokens and (tokens[-1].is_punct or tokens[-1].is_space):
        tokens = tokens[:-1]
    return tokens


def _is_break(token: Any) -> bool:
    """Return True for punctuation that ends a noun phrase (a hyphen only when spaced, as a dash)."""
    return token.text in _BREAKS or (token.text == "-" and bool(token.whitespace_))


def _phrase_after(tokens: list[Any]) -> list[Any]:
    """Return the noun phrase that opens a run of tokens: up to a comma, a verb or a clause word."""
    if tokens and tokens[0].pos_ == "PRON":
        return [tokens[0]]  # "selon lui l'expression...": the pronoun is the whole phrase
    taken = []
    for token in tokens:
        if _is_break(token) or token.is_quote or token.pos_ in ("VERB", "AUX", "SCONJ"):
            break
        if token.pos_ == "PRON" and "Rel" in token.morph.get("PronType") and taken:
            break
        taken.append(token)
    taken = _trim(taken)
    return taken if any(t.pos_ in ("NOUN", "PROPN", "PRON", "X") for t in taken) else []


# -- cue, speaker, channel --------------------------------------------------------------

def _verb_group(verb: Any, lexicon: QuoteLexicon) -> list[Any]:
    """Return the reporting verb with its auxiliaries and an inverted pronoun ("a-t-il déclaré")."""
    group = [verb] + [c for c in verb.children if c.dep_.startswith("aux") and c.i < verb.i]
    group += _inverted(verb, lexicon)
    low, high = min(t.i for t in group), max(t.i for t in group)
    return [t for t in verb.doc[low:high + 1]]


def _inverted(verb: Any, lexicon: QuoteLexicon) -> list[Any]:
    """Return the hyphenated tokens of an inverted subject ("-t", "-il") around the verb."""
    found = []
    for token in list(verb.doc[max(verb.i - 3, 0):verb.i + 3]):
        if token.text.startswith("-") and token.text[1:].lower() in ({"t"} | lexicon.inverted_pronouns):
            if abs(token.i - verb.i) <= 2 or found:
                found.append(token)
    return found


def _speaker_tokens(verb: Any, lexicon: QuoteLexicon, after: list[Any], not_before: int | None = None) -> list[Any]:
    """Return the speaker phrase of a reporting verb: subject, inverted pronoun, or noun phrase after it.

    A subject that the parse finds before `not_before` (a paragraph offset: inside or before
    the quote the verb follows) is none: the parse joined the quote's words to the verb.
    """
    for token in _inverted(verb, lexicon):
        if token.text[1:].lower() in lexicon.inverted_pronouns:
            return [token]
    subject = _subject(verb)
    if subject is not None and (not_before is None or subject.idx >= not_before):
        return _phrase(subject) if _is_speaker(subject, lexicon) else []
    if "Inf" in verb.morph.get("VerbForm"):
        return []  # "demander le programme": an infinitive has no subject after it
    return _phrase_after([t for t in after if t.i > verb.i])


def _is_speaker(subject: Any, lexicon: QuoteLexicon) -> bool:
    """Return True for a subject that can speak: a word (not a stray "'s"), not a generic "on" or "you"."""
    return any(char.isalpha() for char in subject.text) and subject.lower_ not in lexicon.generic_subjects


def _subject(verb: Any) -> Any | None:
    """Return the subject of a verb, or of the verb it is coordinated with ("... et a ajouté")."""
    for candidate in (verb, verb.head if verb.dep_ in ("conj", "advcl") else None):
        if candidate is None:
            continue
        for child in candidate.children:
            if child.dep_ in _SUBJECT_DEPS and not (child.pos_ == "PRON" and child.lower_ in ("it", "ce", "c'", "il") and _is_expletive(child)):
                return child
    return None


def _is_expletive(token: Any) -> bool:
    """Return True for an impersonal subject ("il est dit que")."""
    return token.dep_ in ("expl", "expl:subj") or "Expl" in token.dep_


def _span_offsets(paragraph: Paragraph, tokens: list[Any]) -> tuple[int, int] | None:
    """Return the text offsets of a phrase, without the hyphen of an inverted pronoun."""
    if not tokens:
        return None
    start, end = _span_of(paragraph, tokens)
    if len(tokens) == 1 and tokens[0].text.startswith("-"):
        start += 1
    return start, end


def _channel(tokens: list[Any], speaker: set[int], lexicon: QuoteLexicon) -> str | None:
    """Return the channel that a stretch names ("rapporte l'agence Tass", "told Reuters"), if any."""
    for token in tokens:
        if token.i in speaker:
            continue
        if token.lemma_.lower() in lexicon.channel_verbs and token.pos_ == "VERB":
            for child in token.children:
                if child.dep_ in _SUBJECT_DEPS | _OBJECT_DEPS and child.i not in speaker:
                    return _channel_name(_phrase(child), lexicon)
        if token.lower_ in lexicon.channel_nouns and token.pos_ == "NOUN":
            name = _channel_name(_phrase(token), lexicon)
            if name and any(t.pos_ == "PROPN" for t in _phrase(token)):
                return name
    return _named_channel(tokens, speaker, lexicon)


def _named_channel(tokens: list[Any], speaker: set[int], lexicon: QuoteLexicon) -> str | None:
    """Return a known outlet or platform named in a stretch, outside the speaker phrase."""
    text_tokens = [t for t in tokens if t.i not in speaker]
    for size in (4, 3, 2, 1):
        for index in range(len(text_tokens) - size + 1):
            run = text_tokens[index:index + size]
            if run[-1].i - run[0].i != size - 1:
                continue
            name = run[0].doc[run[0].i:run[-1].i + 1].text
            if name in lexicon.channels:
                return name
    return None


def _is_channel(tokens: list[Any], lexicon: QuoteLexicon) -> bool:
    """Return True for a phrase that names a channel: an outlet we know, or a channel noun."""
    return _doc_text(tokens) in lexicon.channels or any(t.lower_ in lexicon.channel_nouns for t in tokens) \
        or any(t.text in lexicon.channels for t in tokens)


def _channel_name(tokens: list[Any], lexicon: QuoteLexicon) -> str | None:
    """Return the name in a channel phrase: its proper nouns ("Tass"), or the whole phrase."""
    names = [t for t in tokens if (t.pos_ == "PROPN" and t.text[:1].isupper()) or t.text in lexicon.channels]
    if names:
        doc = names[0].doc
        return doc[names[0].i:names[-1].i + 1].text
    if any(t.lower_ in lexicon.channel_nouns for t in tokens):
        return _doc_text(tokens)
    return None


def _doc_text(tokens: list[Any]) -> str:
    """Return the text a run of tokens covers."""
    return tokens[0].doc[tokens[0].i:tokens[-1].i + 1].text


def _via_of_verb(verb: Any, speaker: set[int], lexicon: QuoteLexicon) -> str | None:
    """Return a named channel among a reporting verb's objects ("told Reuters", "a confié au Parisien")."""
    if verb.lemma_.lower() not in lexicon.via_verbs:
        return None
    for child in verb.children:
        if child.dep_ not in _OBJECT_DEPS or child.i in speaker:
            continue
        head = child
        if child.dep_ == "prep":
            head = next((c for c in child.children if c.dep_ == "pobj"), None)
            if head is None:
                continue
        phrase = _phrase(head)
        if head.ent_type_ == "ORG" and head.pos_ == "PROPN" or _is_channel(phrase, lexicon):
            return _channel_name(phrase, lexicon)
    return None


# -- direct quotes ----------------------------------------------------------------------

@dataclass(slots=True)
class Found:
    """A quote before linking: its stretch, kind and frame, and where it sits."""

    start: int
    end: int
    kind: str
    frame: Frame
    paragraph: int
    marks: tuple[int, int] | None = None  # from the opening mark to past the closing one


def _window_after(paragraph: Paragraph, offset: int, lexicon: QuoteLexicon) -> list[Any]:
    """Return the tokens after a closing mark, up to the end of the sentence or the next quote."""
    taken, depth = [], 0
    for token in _tokens(paragraph, offset, paragraph.end):
        depth += (token.text == "(") - (token.text == ")")
        if depth > 0 or token.text == ")":
            continue  # "Sen. Claire McCaskill (D-Mo.) said": an aside, whatever its full stops
        if token.text in _TERMINATORS or token.text in lexicon.openers:
            break
        taken.append(token)
    return taken


def _window_before(paragraph: Paragraph, offset: int, lexicon: QuoteLexicon) -> list[Any]:
    """Return the tokens before an opening mark, back to the start of the sentence or a quote."""
    closers = {closing for _, closing in lexicon.marks}
    taken: list[Any] = []
    for token in reversed(_tokens(paragraph, paragraph.start, offset)):
        if token.text in _TERMINATORS or token.text in closers:
            break
        taken.insert(0, token)
    return taken


def _frame_direct(paragraph: Paragraph, marked: Marked, lexicon: QuoteLexicon) -> Frame:
    """Return the cue, speaker and channel that the words around a quote give."""
    after = _window_after(paragraph, marked.close, lexicon)
    before = _window_before(paragraph, marked.open, lexicon)
    frame = _frame_after(paragraph, after, lexicon, marked.close - paragraph.start) or _frame_before(paragraph, before, lexicon) or Frame()
    if frame.via is None:
        used = frame.tokens_used
        frame.via = _channel([t for t in after + before if t.i not in used], used, lexicon)
    return frame


def _frame_after(paragraph: Paragraph, after: list[Any], lexicon: QuoteLexicon, not_before: int) -> Frame | None:
    """Return the frame of "», a déclaré X" / "," X said" / "», selon X", or None."""
    for position, token in enumerate(after[:MAX_CUE_DISTANCE + 1]):
        if _is_verb(token, lexicon) and not _governs_clause_after(token):
            return _verb_frame(paragraph, token, after, lexicon, not_before)
        marker = _marker_at(after, position, lexicon.markers)
        if marker:
            return _marker_frame(paragraph, after[position:position + marker], after[position + marker:])
    return None


def _frame_before(paragraph: Paragraph, before: list[Any], lexicon: QuoteLexicon) -> Frame | None:
    """Return the frame of "X a déclaré : «" / "X said: "" / "selon X, «" / "X : «", or None."""
    if not before:
        return None
    last = before[-1]
    for position, token in enumerate(before):
        marker = _marker_at(before, position, lexicon.markers)
        if marker:
            return _marker_frame(paragraph, before[position:position + marker], before[position + marker:])
    if last.text in (":", ",") or last.lower_ in ("que", "qu'", "qu’", "that") or _is_verb(last, lexicon):
        for token in reversed(before):
            if _is_verb(token, lexicon):
                frame = _verb_frame(paragraph, token, before, lexicon)
                frame.ahead = True
                return frame
    if last.text == ":" and len(before) > 1 and before[-2].pos_ == "PROPN":
        return Frame(speaker=_span_offsets(paragraph, _phrase(before[-2])))
    return None


def _governs_clause_after(verb: Any) -> bool:
    """Return True when a verb has its own that-clause after it (a new report, not the quote's cue)."""
    return any(c.dep_ in _CLAUSE_DEPS and c.i > verb.i and c.pos_ in ("VERB", "AUX") for c in verb.children)


def _verb_frame(paragraph: Paragraph, verb: Any, window: list[Any], lexicon: QuoteLexicon,
                not_before: int | None = None, speaker: list[Any] | None = None) -> Frame:
    """Return the frame a reporting verb gives: its group as cue, its subject as speaker, a channel."""
    group = _verb_group(verb, lexicon)
    speaker = _speaker_tokens(verb, lexicon, window, not_before) if speaker is None else speaker
    used = {t.i for t in group} | {t.i for t in speaker}
    if verb.lemma_.lower() in lexicon.channel_verbs and speaker and _is_channel(speaker, lexicon):
        # "« ... », rapporte l'agence Tass": the agency relays; the speaker comes from the context
        return Frame(cue=_span_of(paragraph, group), via=_channel_name(speaker, lexicon), verb=verb, tokens_used=used)
    via = _via_of_verb(verb, {t.i for t in speaker}, lexicon)
    return Frame(cue=_span_of(paragraph, group), speaker=_span_offsets(paragraph, speaker),
                 via=via, verb=verb, tokens_used=used, pronoun=_is_pronoun(speaker))


def _is_pronoun(speaker: list[Any]) -> bool:
    """Return True when a speaker phrase is a lone pronoun ("il", "she")."""
    return len(speaker) == 1 and speaker[0].pos_ == "PRON"


def _marker_frame(paragraph: Paragraph, marker: list[Any], rest: list[Any]) -> Frame:
    """Return the frame of a source marker: the marker as cue, the noun phrase after it as speaker."""
    speaker = _phrase_after(rest)
    used = {t.i for t in marker} | {t.i for t in speaker}
    return Frame(cue=_span_of(paragraph, marker), speaker=_span_offsets(paragraph, speaker), tokens_used=used,
                 pronoun=_is_pronoun(speaker))


def _marker_at(tokens: list[Any], position: int, markers: Iterable[tuple[str, ...]]) -> int:
    """Return the length of the marker phrase starting at a position (0 when there is none)."""
    for marker in markers:
        words = [t.lower_ for t in tokens[position:position + len(marker)]]
        if words == list(marker):
            return len(marker)
    return 0


def find_direct(parsed: Parsed, lexicon: QuoteLexicon) -> list[Found]:
    """Return the direct quotes of an article: quoted words long enough to be speech, with their frames."""
    found: list[Found] = []
    paragraphs = parsed.paragraphs
    for index, paragraph in enumerate(paragraphs):
        following = paragraphs[index + 1] if index + 1 < len(paragraphs) else None
        runs_on = _runs_on(paragraph, following, lexicon)
        if is_headline(paragraph.text) and not runs_on:
            continue
        marks = find_marked(paragraph.text, paragraph.start, lexicon, runs_on)
        for marked in marks:
            if marked.depth == 0 and is_speech(parsed.text, marked, lexicon, paragraph.start):
                found.extend(_direct(parsed.text, paragraph, index, marked, lexicon))
    return found


def _direct(text: str, paragraph: Paragraph, index: int, marked: Marked, lexicon: QuoteLexicon) -> list[Found]:
    """Return a quote with its frame, or its pieces when an incise ("..., affirme-t-elle. ...") splits it."""
    marks = (marked.open, marked.close)
    if paragraph.doc is None:
        return [Found(marked.start, marked.end, "direct", _frame_plain(text, paragraph, marked, lexicon), index, marks)]
    incise = _incise(paragraph, marked, lexicon)
    if incise is None:
        return [Found(marked.start, marked.end, "direct", _frame_direct(paragraph, marked, lexicon), index, marks)]
    (cut_start, cut_end), frame = incise
    pieces = [(marked.start, _strip_end(text, marked.start, cut_start)), (_strip_start(text, cut_end, marked.end), marked.end)]
    return [Found(start, end, "direct", frame, index, marks) for start, end in pieces
            if len(_WORD.findall(text[start:end])) > 0]


def _incise(paragraph: Paragraph, marked: Marked, lexicon: QuoteLexicon) -> tuple[tuple[int, int], Frame] | None:
    """Return the stretch of an incise inside a quote (", affirme-t-elle." / ", explique X,") and its frame."""
    tokens = _tokens(paragraph, marked.start, marked.end)
    for position, verb in enumerate(tokens):
        if not _is_verb(verb, lexicon):
            continue
        group = _verb_group(verb, lexicon)
        before = verb.doc[group[0].i - 1] if group[0].i > 0 else None
        if before is None or not _opens_incise(before) or before.idx < marked.start - paragraph.start:
            continue
        speaker = _speaker_tokens(verb, lexicon, tokens[position + 1:], before.idx)
        last = max([t.i for t in group] + [t.i for t in speaker])
        end = next((t for t in tokens if t.i > last and (t.text in _TERMINATORS or t.text == ",")), None)
        if speaker and end is not None and all(t.i > verb.i or t in group for t in speaker):
            frame = _verb_frame(paragraph, verb, tokens[position + 1:], lexicon, speaker=speaker)
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


def is_headline(text: str) -> bool:
    """Return True for a paragraph that reads as a headline: short, with no closing punctuation."""
    return len(_WORD.findall(text)) <= MAX_HEADLINE_WORDS and not _SENTENCE_END.search(text.strip())


def is_speech(text: str, marked: Marked, lexicon: QuoteLexicon, paragraph_start: int = 0) -> bool:
    """Return True for quoted words that may be speech: not a scare quote, not a title of a work."""
    inner = text[marked.start:marked.end]
    words = _WORD.findall(inner)
    if len(words) <= MAX_SCARE_WORDS:
        return False
    before = _WORD.findall(text[max(paragraph_start, marked.open - 40):marked.open].lower())[-3:]
    if any(word in lexicon.title_nouns for word in before):
        return False
    return not _is_title_case(words)


def _is_title_case(words: list[str]) -> bool:
    """Return True for words written as a title ("Make America Great Again"): every long word capitalised."""
    long_words = [w for w in words if len(w) > 3]
    return len(long_words) >= 2 and len(words) <= 8 and all(w[0].isupper() for w in long_words)


# -- direct quotes without a parse ------------------------------------------------------

_NAME = r"((?:[A-ZÀ-Ý][\w'’.-]+)(?:\s+(?:[A-ZÀ-Ý][\w'’.-]+|de|du|van|von|al|el|bin))*)"


def _frame_plain(text: str, paragraph: Paragraph, marked: Marked, lexicon: QuoteLexicon) -> Frame:
    """Return the frame of a quote in a paragraph with no parse: a listed verb form and a name next to it."""
    after = re.split(r"[.!?;«“\"]", text[marked.close:paragraph.end], maxsplit=1)[0]
    before = re.split(r"[.!?;»”\"]", text[paragraph.start:marked.open])[-1]
    after_start, before_start = marked.close, marked.open - len(before)
    forms = "|".join(re.escape(f) for f in sorted(lexicon.forms, key=len, reverse=True)) or r"(?!)"
    patterns = [
        (after, after_start, rf"^[\s,]*(?P<cue>{forms})\s+(?P<name>{_NAME[1:-1]})"),
        (after, after_start, rf"^[\s,]*(?P<name>{_NAME[1:-1]})\s+(?P<cue>{forms})\b"),
        (before, before_start, rf"(?P<name>{_NAME[1:-1]})\s+(?:(?P<cue>{forms})\s*)?:\s*$"),
        (after, after_start, rf"^[\s,]*(?P<name>{_NAME[1:-1]})\s*$"),
    ]
    for stretch, offset, pattern in patterns:
        match = re.search(pattern, stretch)
        if match:
            cue = match.span("cue") if match.groupdict().get("cue") else None
            return Frame(cue=(offset + cue[0], offset + cue[1]) if cue else None,
                         speaker=(offset + match.start("name"), offset + match.end("name")))
    return Frame()


# -- indirect quotes --------------------------------------------------------------------

def find_indirect(parsed: Parsed, lexicon: QuoteLexicon, used: set[tuple[int, int]]) -> list[Found]:
    """Return the clauses that reporting verbs govern and the sentences that source markers frame."""
    found: list[Found] = []
    for index, paragraph in enumerate(parsed.paragraphs):
        if paragraph.doc is None or is_headline(paragraph.text):
            continue
        for sentence in paragraph.doc.sents:
            tokens = list(sentence)
            if _is_question(tokens):
                continue
            for token in tokens:
                if (index, token.i) not in used and token.pos_ == "VERB" and _is_verb(token, lexicon):
                    found.extend(_reported_clause(paragraph, index, token, tokens, lexicon))
            found.extend(_marked_sentence(paragraph, index, tokens, lexicon))
    return found


def _is_question(tokens: list[Any]) -> bool:
    """Return True for a question: it asks, it reports nothing."""
    return any(t.text == "?" for t in tokens[-3:])


def _reported_clause(paragraph: Paragraph, index: int, verb: Any, sentence: list[Any],
                     lexicon: QuoteLexicon) -> list[Found]:
    """Return the clause a reporting verb governs, with the verb's subject as speaker ([] when unclear)."""
    content = _complement(verb, sentence, lexicon)
    if len(content) < MIN_INDIRECT_WORDS or sum(1 for t in content if t.is_alpha) < MIN_INDIRECT_WORDS:
        return []
    after_content = [t for t in sentence if t.i > verb.i] if content[0].i < verb.i else []
    speaker = _speaker_tokens(verb, lexicon, after_content) if after_content else _subject_phrase(verb, lexicon)
    if not speaker:
        return []
    frame = _verb_frame(paragraph, verb, after_content, lexicon, speaker=speaker)
    if frame.via is None:
        frame.via = _channel([t for t in sentence if t.i not in frame.tokens_used and t not in content],
                             frame.tokens_used, lexicon)
    start, end = _span_of(paragraph, content)
    return [Found(start, end, "indirect", frame, index)]


def _subject_phrase(verb: Any, lexicon: QuoteLexicon) -> list[Any]:
    """Return the subject phrase of a verb; for "who said", the noun the relative clause hangs on."""
    subject = _subject(verb)
    if subject is None or not _is_speaker(subject, lexicon):
        return []
    if "Rel" in subject.morph.get("PronType") and verb.dep_ in ("relcl", "acl:relcl"):
        return _phrase(verb.head)
    return _phrase(subject)


def _complement(verb: Any, sentence: list[Any], lexicon: QuoteLexicon) -> list[Any]:
    """Return the tokens of what a reporting verb reports: its clause, or what comes before "..., he said"."""
    for child in verb.children:
        if child.dep_ in _CLAUSE_DEPS and (child.dep_ == "ccomp" or child.pos_ in ("VERB", "AUX")):
            if child.i < verb.i:
                return _trim([t for t in child.doc[child.left_edge.i:child.right_edge.i + 1] if t.i < verb.i])
            return _clause_after(verb, child, sentence, lexicon)
    if verb.dep_ == "parataxis" and verb.head.i < verb.i:
        first_of_group = min([verb.i] + [c.i for c in verb.children if c.i < verb.i])
        return _trim([t for t in sentence if t.i < first_of_group])
    return []


def _clause_after(verb: Any, clause: Any, sentence: list[Any], lexicon: QuoteLexicon) -> list[Any]:
    """Return a reported clause after its verb: from its first word (or the verb's object, in
    "appelle X à", "accuse X de") to the end of the sentence, or to ", <reporting verb>" ("..., adding")."""
    objects = [c for c in verb.children if c.dep_ in ("obj", "dobj") and verb.i < c.i < clause.i
               and clause.dep_ == "xcomp"]
    start = min([clause.left_edge.i] + [o.left_edge.i for o in objects])
    taken = []
    for token in (t for t in sentence if t.i >= start):
        if token.i > clause.right_edge.i and token.text == "," and _reporting_follows(token, lexicon):
            break
        taken.append(token)
    return _trim(taken)


def _reporting_follows(comma: Any, lexicon: QuoteLexicon) -> bool:
    """Return True when a reporting verb comes within three words after a comma."""
    return any(_is_verb(t, lexicon) for t in comma.doc[comma.i + 1:comma.i + 4])


def _marked_sentence(paragraph: Paragraph, index: int, tokens: list[Any], lexicon: QuoteLexicon) -> list[Found]:
    """Return the sentence framed by a source marker ("selon X, ...", "..., according to X.")."""
    words = [t for t in tokens if not t.is_space]
    for position in range(len(words)):
        size = _marker_at(words, position, lexicon.markers)
        if not size and position == 0:
            size = _marker_at(words, 0, lexicon.initial_markers)
            if size and not _is_named_source(_phrase_after(words[size:]), words, size, lexicon):
                size = 0
        if size:
            return _marker_quote(paragraph, index, words, position, size)
    return []


def _is_named_source(phrase: list[Any], words: list[Any], size: int, lexicon: QuoteLexicon) -> bool:
    """Return True when a sentence-initial "Pour X," names a person, a group or a pronoun, then a comma."""
    following = size + len(phrase)
    if not phrase or following >= len(words) or words[following].text != ",":
        return False
    return any(t.pos_ in ("PROPN", "PRON") or t.ent_type_ in ("PER", "PERSON", "ORG")
               or _singular(t.lower_) in lexicon.speaker_nouns for t in phrase)


def _singular(word: str) -> str:
    """Return a noun without its plural ending ("détracteurs" → "détracteur"): enough for a lexicon look-up."""
    return word[:-1] if len(word) > 3 and word[-1] in "sx" else word


def _marker_quote(paragraph: Paragraph, index: int, words: list[Any], position: int, size: int) -> list[Found]:
    """Return the quote a source marker frames: the sentence without the marker's phrase."""
    marker, rest = words[position:position + size], words[position + size:]
    speaker = _phrase_after(rest)
    if not speaker:
        return []
    phrase_end = speaker[-1].i
    if position == 0:
        content = _trim([t for t in words if t.i > phrase_end])
    elif all(t.is_punct for t in words if t.i > phrase_end):
        content = _trim([t for t in words if t.i < marker[0].i])
    else:
        content = _trim(words)
    if sum(1 for t in content if t.is_alpha) < MIN_INDIRECT_WORDS:
        return []
    frame = Frame(cue=_span_of(paragraph, marker), speaker=_span_offsets(paragraph, speaker),
                  tokens_used={t.i for t in marker + speaker}, pronoun=_is_pronoun(speaker))
    start, end = _span_of(paragraph, content)
    return [Found(start, end, "indirect", frame, index)]


# -- the whole article ------------------------------------------------------------------

def find_quotes(parsed: Parsed, entities: list[Entity]) -> list[Quote]:
    """Return the quotes of an article, each with its speaker linked to an entity where clear."""
    lexicon = quote_lexicon(parsed.language)
    direct = find_direct(parsed, lexicon)
    used = {(d.paragraph, d.frame.verb.i) for d in direct if d.frame.verb is not None and not d.frame.ahead}
    indirect = find_indirect(parsed, lexicon, used)
    found = [f for f in _merge(parsed.text, direct, indirect) if not _is_term(parsed.text, f)]
    _inherit_speakers(found)
    kept = sorted((f for f in found if _is_attributed_enough(parsed.text, f)), key=lambda f: (f.start, f.end))
    quotes = [_quote(parsed, f, entities) for f in kept]
    _name_pronoun_speakers(parsed, entities, kept, quotes)
    return quotes


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


def _inherit_speakers(found: list[Found]) -> None:
    """Give an unattributed direct quote the speaker of the quote just before it (same or previous paragraph)."""
    previous: Found | None = None
    for quote in found:
        if quote.kind == "direct" and quote.frame.speaker is None and previous is not None \
                and quote.paragraph - previous.paragraph <= 1:
            quote.frame = Frame(cue=quote.frame.cue, speaker=previous.frame.speaker, verb=quote.frame.verb,
                                via=quote.frame.via or previous.frame.via, pronoun=previous.frame.pronoun)
        if quote.frame.speaker is not None:
            previous = quote


def _is_attributed_enough(text: str, found: Found) -> bool:
    """Return True for a quote with a speaker or a cue, or one long enough to be speech on its own."""
    if found.frame.speaker is not None or found.frame.cue is not None:
        return True
    return len(_WORD.findall(text[found.start:found.end])) >= MIN_UNATTRIBUTED_WORDS


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
