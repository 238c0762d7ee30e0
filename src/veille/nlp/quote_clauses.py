"""Indirect quotes: the clause a reporting verb governs, or the sentence a source marker frames.

"il a dit avoir eu...", "X said that...", "selon X, ...", "..., according to X": the clause
is the quote, the verb's subject (or the marker's phrase) its speaker.
"""
from __future__ import annotations

from typing import Any

from veille.nlp.coref import singular
from veille.nlp.parse import Paragraph, Parsed
from veille.nlp.quote_frames import (
    CLAUSE_DEPS, Found, Frame, find_channel, is_pronoun, is_reporting_verb, is_speaker, marker_at,
    noun_phrase, phrase_after, span_of, span_offsets, speaker_tokens, subject_of, trim, verb_frame,
)
from veille.nlp.quote_lexicon import QuoteLexicon
from veille.nlp.quote_marks import is_headline

# Indirect content shorter than this is a noun object ("expliqué ses besoins"), not a report.
MIN_INDIRECT_WORDS = 3


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
                if (index, token.i) not in used and token.pos_ == "VERB" and is_reporting_verb(token, lexicon):
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
    speaker = speaker_tokens(verb, lexicon, after_content) if after_content else _subject_phrase(verb, lexicon)
    if not speaker:
        return []
    frame = verb_frame(paragraph, verb, after_content, lexicon, speaker=speaker)
    if frame.via is None:
        frame.via = find_channel([t for t in sentence if t.i not in frame.tokens_used and t not in content],
                             frame.tokens_used, lexicon)
    start, end = span_of(paragraph, content)
    return [Found(start, end, "indirect", frame, index)]


def _subject_phrase(verb: Any, lexicon: QuoteLexicon) -> list[Any]:
    """Return the subject phrase of a verb; for "who said", the noun the relative clause hangs on."""
    subject = subject_of(verb)
    if subject is None or not is_speaker(subject, lexicon):
        return []
    if "Rel" in subject.morph.get("PronType") and verb.dep_ in ("relcl", "acl:relcl"):
        return noun_phrase(verb.head)
    return noun_phrase(subject)


def _complement(verb: Any, sentence: list[Any], lexicon: QuoteLexicon) -> list[Any]:
    """Return the tokens of what a reporting verb reports: its clause, or what comes before "..., he said"."""
    for child in verb.children:
        if child.dep_ in CLAUSE_DEPS and (child.dep_ == "ccomp" or child.pos_ in ("VERB", "AUX")):
            if child.i < verb.i:
                return trim([t for t in child.doc[child.left_edge.i:child.right_edge.i + 1] if t.i < verb.i])
            return _clause_after(verb, child, sentence, lexicon)
    if (verb.dep_ == "parataxis" or _is_inverted_incise(verb)) and verb.head.i < verb.i:
        first_of_group = min([verb.i] + [c.i for c in verb.children if c.i < verb.i])
        return trim([t for t in sentence if t.i < first_of_group])
    return []


def _is_inverted_incise(verb: Any) -> bool:
    """Return True for a verb the parse joins to the clause before it, set after a comma with its
    subject after it: "..., détaille Mme X" reports what comes before."""
    subject = subject_of(verb)
    return verb.dep_ == "conj" and verb.i > 0 and verb.doc[verb.i - 1].text == "," \
        and subject is not None and subject.i > verb.i


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
    return trim(taken)


def _reporting_follows(comma: Any, lexicon: QuoteLexicon) -> bool:
    """Return True when a reporting verb comes within three words after a comma."""
    return any(is_reporting_verb(t, lexicon) for t in comma.doc[comma.i + 1:comma.i + 4])


def _marked_sentence(paragraph: Paragraph, index: int, tokens: list[Any], lexicon: QuoteLexicon) -> list[Found]:
    """Return the sentence framed by a source marker ("selon X, ...", "..., according to X.")."""
    words = [t for t in tokens if not t.is_space]
    for position in range(len(words)):
        size = marker_at(words, position, lexicon.markers)
        if not size and position == 0:
            size = marker_at(words, 0, lexicon.initial_markers)
            if size and not _is_named_source(phrase_after(words[size:]), words, size, lexicon):
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
               or singular(t.lower_) in lexicon.speaker_nouns for t in phrase)


def _marker_quote(paragraph: Paragraph, index: int, words: list[Any], position: int, size: int) -> list[Found]:
    """Return the quote a source marker frames: the sentence without the marker's phrase."""
    marker, rest = words[position:position + size], words[position + size:]
    speaker = phrase_after(rest)
    if not speaker:
        return []
    phrase_end = speaker[-1].i
    if position == 0:
        content = trim([t for t in words if t.i > phrase_end])
    elif all(t.is_punct for t in words if t.i > phrase_end):
        content = trim([t for t in words if t.i < marker[0].i])
    else:
        content = trim(words)
    if sum(1 for t in content if t.is_alpha) < MIN_INDIRECT_WORDS:
        return []
    frame = Frame(cue=span_of(paragraph, marker), speaker=span_offsets(paragraph, speaker),
                  tokens_used={t.i for t in marker + speaker}, pronoun=is_pronoun(speaker))
    start, end = span_of(paragraph, content)
    return [Found(start, end, "indirect", frame, index)]


__all__ = ["MIN_INDIRECT_WORDS", "find_indirect"]
