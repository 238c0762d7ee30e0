"""The frame of a quote: the cue, the speaker and the channel that the words around it give.

"», a déclaré X", "X said: \\"", "», selon X", "rapporte l'agence Tass", "told Reuters": the
reporting verb (or source marker) is the cue, its subject (or the phrase after the marker)
the speaker, a named outlet the channel. Read from the paragraph's parse; a paragraph
with no parse falls back on listed verb forms and a capitalised name.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from veille.nlp.parse import Paragraph
from veille.nlp.quote_lexicon import QuoteLexicon
from veille.nlp.quote_marks import Marked

# The cue must stand this close to the mark (in tokens, past punctuation and the
# subject): farther, the verb belongs to another clause. 6 holds ", a-t-il déclaré" and
# ", Senator John Smith said"; a cue past a longer apposition comes from the parse instead.
MAX_CUE_DISTANCE = 6

TERMINATORS = {".", "!", "?", ";", "…"}
_BREAKS = {",", "(", ")", "–", "—", ";", ":", "[", "]"}
_CUT_DEPS = {"relcl", "acl:relcl", "acl", "parataxis", "punct", "advcl", "dep"}
_SUBJECT_DEPS = {"nsubj", "nsubj:pass", "nsubjpass", "csubj"}
CLAUSE_DEPS = {"ccomp", "xcomp"}
_OBJECT_DEPS = {"obj", "iobj", "dobj", "dative", "obl", "obl:arg", "obl:mod", "pobj", "prep", "nmod"}


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


def tokens_between(paragraph: Paragraph, start: int, end: int) -> list[Any]:
    """Return the paragraph's tokens that lie between two text offsets."""
    if paragraph.doc is None:
        return []
    low, high = max(start - paragraph.start, 0), min(end - paragraph.start, len(paragraph.text))
    # "contract": the tokens wholly inside the stretch, found by spaCy without walking the doc.
    span = paragraph.doc.char_span(low, high, alignment_mode="contract") if low < high else None
    return list(span) if span is not None else []


def span_of(paragraph: Paragraph, tokens: list[Any]) -> tuple[int, int]:
    """Return the text offsets covering a run of tokens."""
    first, last = min(tokens, key=lambda t: t.i), max(tokens, key=lambda t: t.i)
    return paragraph.start + first.idx, paragraph.start + last.idx + len(last)


def is_reporting_verb(token: Any, lexicon: QuoteLexicon) -> bool:
    """Return True for a reporting verb (by lemma, or by form when the lemmatizer missed)."""
    if token.pos_ not in ("VERB", "AUX") and token.lower_ not in lexicon.forms:
        return False
    return token.lemma_.lower() in lexicon.verbs or token.lower_ in lexicon.forms


def noun_phrase(head: Any) -> list[Any]:
    """Return the noun phrase a head token stands for, without appositions, clauses or commas."""
    if head.pos_ == "PRON":
        return [head]
    keep = {head.i}
    for child in head.children:
        if not _is_cut(child) and not _is_clause(child):
            keep.update(t.i for t in child.subtree)
    run = _contiguous(sorted(i for i in keep if not head.doc[i].is_quote), head.i)
    tokens = [t for t in head.doc[run[0]:run[-1] + 1]]
    return trim(tokens)


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


def trim(tokens: list[Any]) -> list[Any]:
    """Drop punctuation and quote marks at both ends of a run of tokens."""
    while tokens and (tokens[0].is_punct or tokens[0].is_space):
        tokens = tokens[1:]
    while tokens and (tokens[-1].is_punct or tokens[-1].is_space):
        tokens = tokens[:-1]
    return tokens


def _is_break(token: Any) -> bool:
    """Return True for punctuation that ends a noun phrase (a hyphen only when spaced, as a dash)."""
    return token.text in _BREAKS or (token.text == "-" and bool(token.whitespace_))


def phrase_after(tokens: list[Any]) -> list[Any]:
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
    taken = trim(taken)
    return taken if any(t.pos_ in ("NOUN", "PROPN", "PRON", "X") for t in taken) else []


# -- cue, speaker, channel --------------------------------------------------------------

def verb_group(verb: Any, lexicon: QuoteLexicon) -> list[Any]:
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


def speaker_tokens(verb: Any, lexicon: QuoteLexicon, after: list[Any], not_before: int | None = None) -> list[Any]:
    """Return the speaker phrase of a reporting verb: subject, inverted pronoun, or noun phrase after it.

    A subject that the parse finds before `not_before` (a paragraph offset: inside or before
    the quote the verb follows) is none: the parse joined the quote's words to the verb.
    """
    for token in _inverted(verb, lexicon):
        if token.text[1:].lower() in lexicon.inverted_pronouns:
            return [token]
    subject = subject_of(verb)
    if subject is not None and (not_before is None or subject.idx >= not_before):
        if "Rel" in subject.morph.get("PronType") and verb.dep_ in ("relcl", "acl:relcl"):
            subject = verb.head  # "Mme X, qui développe : « ... »": the noun the relative clause hangs on
        return noun_phrase(subject) if is_speaker(subject, lexicon) else []
    if "Inf" in verb.morph.get("VerbForm"):
        return []  # "demander le programme": an infinitive has no subject after it
    following = phrase_after([t for t in after if t.i > verb.i])
    if not following and verb.pos_ not in ("VERB", "AUX"):
        return _phrase_before(verb)  # a form the parse took for another word: "le conseiller lâche"
    return following


def _phrase_before(verb: Any) -> list[Any]:
    """Return the noun phrase just before a word, back to a comma, a verb or the sentence's start."""
    taken: list[Any] = []
    for token in reversed(list(verb.doc[verb.sent.start:verb.i])):
        if _is_break(token) or token.is_quote or token.pos_ in ("VERB", "AUX", "SCONJ") or token.text in TERMINATORS:
            break
        taken.insert(0, token)
    taken = trim(taken)
    return taken if taken and taken[0].pos_ in ("DET", "PROPN") and any(t.pos_ in ("NOUN", "PROPN") for t in taken) else []


def is_speaker(subject: Any, lexicon: QuoteLexicon) -> bool:
    """Return True for a subject that can speak: a word (not a stray "'s"), not a generic "on" or "you"."""
    return any(char.isalpha() for char in subject.text) and subject.lower_ not in lexicon.generic_subjects


def subject_of(verb: Any) -> Any | None:
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


def span_offsets(paragraph: Paragraph, tokens: list[Any]) -> tuple[int, int] | None:
    """Return the text offsets of a phrase, without the hyphen of an inverted pronoun."""
    if not tokens:
        return None
    start, end = span_of(paragraph, tokens)
    if len(tokens) == 1 and tokens[0].text.startswith("-"):
        start += 1
    return start, end


def find_channel(tokens: list[Any], speaker: set[int], lexicon: QuoteLexicon) -> str | None:
    """Return the channel that a stretch names ("rapporte l'agence Tass", "told Reuters"), if any."""
    for token in tokens:
        if token.i in speaker:
            continue
        if token.lemma_.lower() in lexicon.channel_verbs and token.pos_ == "VERB":
            for child in token.children:
                if child.dep_ in _SUBJECT_DEPS | _OBJECT_DEPS and child.i not in speaker:
                    return _channel_name(noun_phrase(child), lexicon)
        if token.lower_ in lexicon.channel_nouns and token.pos_ == "NOUN":
            name = _channel_name(noun_phrase(token), lexicon)
            if name and any(t.pos_ == "PROPN" for t in noun_phrase(token)):
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
        phrase = noun_phrase(head)
        if head.ent_type_ == "ORG" and head.pos_ == "PROPN" or _is_channel(phrase, lexicon):
            return _channel_name(phrase, lexicon)
    return None


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
    for token in tokens_between(paragraph, offset, paragraph.end):
        depth += (token.text == "(") - (token.text == ")")
        if depth > 0 or token.text == ")":
            continue  # "Sen. Claire McCaskill (D-Mo.) said": an aside, whatever its full stops
        if token.text in TERMINATORS or token.text in lexicon.openers:
            break
        taken.append(token)
    return taken


def _window_before(paragraph: Paragraph, offset: int, lexicon: QuoteLexicon) -> list[Any]:
    """Return the tokens before an opening mark, back to the start of the sentence or a quote."""
    closers = {closing for _, closing in lexicon.marks}
    taken: list[Any] = []
    for token in reversed(tokens_between(paragraph, paragraph.start, offset)):
        if token.text in TERMINATORS or token.text in closers:
            break
        taken.insert(0, token)
    return taken


def frame_direct(paragraph: Paragraph, marked: Marked, lexicon: QuoteLexicon) -> Frame:
    """Return the cue, speaker and channel that the words around a quote give."""
    after = _window_after(paragraph, marked.close, lexicon)
    before = _window_before(paragraph, marked.open, lexicon)
    frame = _frame_after(paragraph, after, lexicon, marked.close - paragraph.start) or _frame_before(paragraph, before, lexicon) or Frame()
    if frame.via is None:
        used = frame.tokens_used
        frame.via = find_channel([t for t in after + before if t.i not in used], used, lexicon)
    return frame


def _frame_after(paragraph: Paragraph, after: list[Any], lexicon: QuoteLexicon, not_before: int) -> Frame | None:
    """Return the frame of "», a déclaré X" / "," X said" / "», selon X", or None."""
    for position, token in enumerate(after[:MAX_CUE_DISTANCE + 1]):
        if is_reporting_verb(token, lexicon) and not _governs_clause_after(token):
            return verb_frame(paragraph, token, after, lexicon, not_before)
        marker = marker_at(after, position, lexicon.markers)
        if marker:
            return _marker_frame(paragraph, after[position:position + marker], after[position + marker:])
    return None


def _frame_before(paragraph: Paragraph, before: list[Any], lexicon: QuoteLexicon) -> Frame | None:
    """Return the frame of "X a déclaré : «" / "X said: "" / "selon X, «" / "X : «", or None."""
    if not before:
        return None
    last = before[-1]
    for position, token in enumerate(before):
        marker = marker_at(before, position, lexicon.markers)
        if marker:
            return _marker_frame(paragraph, before[position:position + marker], before[position + marker:])
    if last.text in (":", ",") or last.lower_ in ("que", "qu'", "qu’", "that") or is_reporting_verb(last, lexicon):
        for token in reversed(before):
            if is_reporting_verb(token, lexicon):
                frame = verb_frame(paragraph, token, before, lexicon)
                frame.ahead = True
                return frame
    if last.text == ":" and len(before) > 1 and before[-2].pos_ == "PROPN":
        return Frame(speaker=span_offsets(paragraph, noun_phrase(before[-2])))
    return None


def _governs_clause_after(verb: Any) -> bool:
    """Return True when a verb has its own that-clause after it (a new report, not the quote's cue)."""
    return any(c.dep_ in CLAUSE_DEPS and c.i > verb.i and c.pos_ in ("VERB", "AUX") for c in verb.children)


def verb_frame(paragraph: Paragraph, verb: Any, window: list[Any], lexicon: QuoteLexicon,
                not_before: int | None = None, speaker: list[Any] | None = None) -> Frame:
    """Return the frame a reporting verb gives: its group as cue, its subject as speaker, a channel."""
    group = verb_group(verb, lexicon)
    speaker = speaker_tokens(verb, lexicon, window, not_before) if speaker is None else speaker
    used = {t.i for t in group} | {t.i for t in speaker}
    if verb.lemma_.lower() in lexicon.channel_verbs and speaker and _is_channel(speaker, lexicon):
        # "« ... », rapporte l'agence Tass": the agency relays; the speaker comes from the context
        return Frame(cue=span_of(paragraph, group), via=_channel_name(speaker, lexicon), verb=verb, tokens_used=used)
    via = _via_of_verb(verb, {t.i for t in speaker}, lexicon)
    return Frame(cue=span_of(paragraph, group), speaker=span_offsets(paragraph, speaker),
                 via=via, verb=verb, tokens_used=used, pronoun=is_pronoun(speaker))


def is_pronoun(speaker: list[Any]) -> bool:
    """Return True when a speaker phrase is a lone pronoun ("il", "she")."""
    return len(speaker) == 1 and speaker[0].pos_ == "PRON"


def _marker_frame(paragraph: Paragraph, marker: list[Any], rest: list[Any]) -> Frame:
    """Return the frame of a source marker: the marker as cue, the noun phrase after it as speaker."""
    speaker = phrase_after(rest)
    used = {t.i for t in marker} | {t.i for t in speaker}
    return Frame(cue=span_of(paragraph, marker), speaker=span_offsets(paragraph, speaker), tokens_used=used,
                 pronoun=is_pronoun(speaker))


def marker_at(tokens: list[Any], position: int, markers: Iterable[tuple[str, ...]]) -> int:
    """Return the length of the marker phrase starting at a position (0 when there is none)."""
    first = tokens[position].lower_
    for marker in markers:
        if marker[0] == first and [t.lower_ for t in tokens[position:position + len(marker)]] == list(marker):
            return len(marker)
    return 0


_NAME = r"((?:[A-ZÀ-Ý][\w'’.-]+)(?:\s+(?:[A-ZÀ-Ý][\w'’.-]+|de|du|van|von|al|el|bin))*)"


def frame_plain(text: str, paragraph: Paragraph, marked: Marked, lexicon: QuoteLexicon) -> Frame:
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
