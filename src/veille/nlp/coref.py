"""Which entity a stretch of text refers to: a name, a role noun ("l'ancien général") or a pronoun ("il").

References are linked only when the evidence is clear, else left alone:
- a definite role noun ("l'ancien général", "the minister") goes to the one person named
  earlier in the article with that role noun in a role or title (the article's title counts);
- a subject pronoun ("il", "he") of a reporting verb goes to the person who was the last
  speaker (the subject of a reporting verb) in the sentences just before;
- failing a name, a speaker pronoun ("observe-t-il", "pour eux") goes to the subject of a
  sentence just before that names a person by a noun ("L'anthropologue", "Les enseignants")
  and agrees with it in gender and number (``antecedent_subject``).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from veille.nlp.parse import Parsed
from veille.nlp.roles import MAX_TITLE_TOKENS
from veille.records import Entity, Mention

if TYPE_CHECKING:
    from veille.nlp.entities import Candidate, Words

SPEAKER_LOOKBACK = 3  # sentences: a pronoun further from its speaker is left unresolved
SUBJECT_DEPS = frozenset({"nsubj", "nsubj:pass", "nsubjpass"})
# Gender and number of the speaker pronouns whose parse may lack them ("-il" after "-t-").
_PRONOUN_FEATURES = {
    "il": ("Masc", "Sing"), "elle": ("Fem", "Sing"), "lui": ("Masc", "Sing"), "ils": ("Masc", "Plur"),
    "elles": ("Fem", "Plur"), "eux": ("Masc", "Plur"), "he": ("Masc", "Sing"), "she": ("Fem", "Sing"),
    "him": ("Masc", "Sing"), "her": ("Fem", "Sing"), "they": (None, "Plur"), "them": (None, "Plur"),
}


def resolve_reference(parsed: Parsed, entities: list[Entity], start: int, end: int) -> Entity | None:
    """Return the entity that the text between start and end refers to, when the evidence is clear."""
    return entity_at(entities, start, end)


def antecedent_subject(parsed: Parsed, start: int, end: int, person_nouns: frozenset[str],
                       before: int | None = None) -> tuple[int, int] | None:
    """Return the offsets of the subject a speaker pronoun refers to, from the sentences ending
    before an offset (by default the pronoun's; for a quote's speaker, the quote's start).

    Going back at most SPEAKER_LOOKBACK sentences (its paragraph and the one before), the first
    subject that agrees with the pronoun decides: a noun phrase whose head names a person
    ("L'anthropologue utilise...") is the answer; an agreeing pronoun passes the search on
    to the sentence before; any other agreeing subject ("le livre") stops it.
    """
    features = _PRONOUN_FEATURES.get(parsed.text[start:end].casefold())
    if features is None:
        return None
    high = start if before is None else min(before, start)
    index = next((i for i, p in enumerate(parsed.paragraphs) if p.start <= high <= p.end), 0)
    low = parsed.paragraphs[max(index - 1, 0)].start
    earlier = [s for s in parsed.sentences() if low <= s.start and s.end <= high and s.span is not None]
    for sentence in reversed(earlier[-SPEAKER_LOOKBACK:]):
        subject = _main_subject(sentence.span)
        if subject is None or not _agrees(subject, features):
            continue
        if subject.pos_ == "PRON":
            continue
        if singular(subject.lower_) not in person_nouns:
            return None
        phrase = _subject_phrase(subject)
        return parsed.offset(phrase[0], sentence.paragraph)[0], parsed.offset(phrase[-1], sentence.paragraph)[1]
    return None


def _main_subject(span):
    """Return the subject of a sentence's main verb (None when it has none)."""
    root = span.root
    return next((c for c in root.children if c.dep_ in SUBJECT_DEPS), None)


def _agrees(token, features: tuple[str | None, str]) -> bool:
    """Return True when a subject has the pronoun's number and, where both have one, its gender
    (a determiner's gender first: "la ministre" is feminine whatever the noun's tag)."""
    gender, number = features
    determiners = [c for c in token.children if c.dep_ == "det" and c.morph.get("Gender")]
    genders = (determiners[0] if determiners else token).morph.get("Gender")
    numbers = token.morph.get("Number")
    if token.pos_ == "PRON" and token.lower_ in _PRONOUN_FEATURES:
        gender_of, number_of = _PRONOUN_FEATURES[token.lower_]
        genders, numbers = [gender_of] if gender_of else [], [number_of]
    return (not numbers or number in numbers) and (not gender or not genders or gender in genders)


def _subject_phrase(subject) -> list:
    """Return a subject noun with its determiners and adjectives, and a bare participle after it
    ("Les enseignants mobilisés"): the words that name the person, without clauses."""
    kept = [subject] + [c for c in subject.children if c.dep_ in ("det", "amod")
                        or (c.dep_ == "acl" and "Part" in c.morph.get("VerbForm") and not list(c.children))]
    low, high = min(t.i for t in kept), max(t.i for t in kept)
    indices = {t.i for t in kept}
    return [t for t in subject.doc[low:high + 1]] if all(i in indices for i in range(low, high + 1)) else [subject]


def singular(word: str) -> str:
    """Return a noun without its plural ending ("enseignants" → "enseignant"): enough for a lexicon look-up."""
    return word[:-1] if len(word) > 3 and word[-1] in "sx" else word


def entity_at(entities: list[Entity], start: int, end: int) -> Entity | None:
    """Return the entity with a mention overlapping start..end (the longest overlap wins)."""
    best, best_overlap = None, 0
    for entity in entities:
        for mention in entity.mentions:
            overlap = min(end, mention.end) - max(start, mention.start)
            if overlap > best_overlap:
                best, best_overlap = entity, overlap
    return best


def link_references(parsed: Parsed, grouped: list[tuple[Entity, list[Candidate]]], words: Words) -> None:
    """Add role-noun and pronoun mentions to the people they clearly refer to."""
    people = [entity for entity, _ in grouped if entity.type == "PER"]
    if not people:
        return
    titles = _title_nouns(parsed, people, words)
    title_words = words.role_nouns | {noun for nouns in titles.values() for noun in nouns}
    speakers: list[tuple[int, Entity]] = []  # (sentence number, speaker) in text order
    for number, sentence in enumerate(parsed.sentences()):
        for token in sentence.span:
            if token.lower_ in title_words and token.pos_ == "NOUN":
                _link_role_noun(parsed, sentence, token, people, titles, words)
            elif _is_subject_pronoun(token, words):
                person = _link_pronoun(parsed, sentence, token, number, speakers, words)
                if person is not None:
                    speakers.append((number, person))
        speakers.extend((number, person) for person in _speakers(parsed, sentence, people, words))


def _is_subject_pronoun(token, words: Words) -> bool:
    """Return True for "il"/"he" as a subject, also inverted after its verb ("a-t-il dit", "dit-elle")."""
    inverted = token.text.startswith("-")
    return token.text.lstrip("-").casefold() in words.pronouns and (inverted or token.dep_ in SUBJECT_DEPS)


def _title_nouns(parsed: Parsed, people: list[Entity], words: Words) -> dict[str, set[str]]:
    """Return each person's title nouns: the role nouns and the first noun of each of its roles,
    and the titles before its name in the article's title ("Le général Haftar à Moscou")."""
    nouns = {p.id: {noun for role in p.roles for noun in _nouns_of_role(role, words)} for p in people}
    if parsed.title_doc is not None:
        for token in parsed.title_doc:
            if token.lower_ in words.role_nouns:
                person = _next_person_name(token, people)
                if person is not None:
                    nouns[person.id].add(token.lower_)
    return nouns


def _nouns_of_role(role: str, words: Words) -> set[str]:
    """Return the words of a role that can name its holder: role nouns, or a one-word role ("anthropologue")."""
    parts = [part.casefold() for part in role.split()]
    found = {part for part in parts if part in words.role_nouns}
    if len(parts) == 1 and role.isalpha() and role.islower():
        found.add(parts[0])
    return found


def _next_person_name(token, people: list[Entity]) -> Entity | None:
    """Return the person whose name follows a title word in a headline ("Le général Haftar")."""
    following = token.doc[token.i + 1:token.i + 4]
    for person in people:
        surname = person.name.split()[-1].casefold()
        if any(t.text.casefold() == surname for t in following):
            return person
    return None


def _link_role_noun(parsed, sentence, token, people, titles, words) -> None:
    """Link "l'ancien général" to the one person named before with that title."""
    determiner = [c for c in token.children if c.dep_ == "det" and c.lower_ in words.determiners]
    if not determiner or _next_is_name(token) or _follows_a_name(determiner[0]):
        return
    start, _ = parsed.offset(determiner[0], sentence.paragraph)
    _, end = parsed.offset(token, sentence.paragraph)
    if entity_at(people, start, end) is not None:
        return
    named_before = [p for p in people if p.mentions and p.mentions[0].start < start and token.lower_ in titles[p.id]]
    country = _nationality(token, words)
    if country is not None:  # "le ministre algérien" is not the Malian minister named before
        named_before = [p for p in named_before if p.attributes.get("country") == country]
    if len(named_before) == 1:
        named_before[0].mentions.append(Mention(start, end, parsed.text[start:end], "role"))


def _nationality(token, words: Words) -> str | None:
    """Return the country of a nationality adjective on a role noun ("le ministre algérien")."""
    for child in token.children:
        country = words.country_of(child.text)
        if child.dep_ == "amod" and country:
            return country
    return None


def _follows_a_name(first) -> bool:
    """Return True for a noun phrase in apposition to a name: "Paul Lemoine, son cousin"."""
    doc = first.doc
    return first.i >= 2 and doc[first.i - 1].text == "," and doc[first.i - 2].ent_type_ in ("PER", "PERSON")


def _next_is_name(token) -> bool:
    """Return True when a role noun is a title directly before a name ("le général Haftar")."""
    doc = token.doc
    for following in doc[token.i + 1:token.i + 1 + MAX_TITLE_TOKENS]:
        if following.ent_type_ in ("PER", "PERSON"):
            return True
        if following.text == ",":  # only "le ministre de la Défense, Sergueï Choïgou"
            return following.i + 1 < len(doc) and doc[following.i + 1].ent_type_ in ("PER", "PERSON")
        if following.pos_ not in ("ADJ", "ADP", "DET", "NOUN", "PROPN", "PUNCT") or following.text in {".", ";"}:
            return False
    return False


def _link_pronoun(parsed, sentence, token, number, speakers, words) -> Entity | None:
    """Link a subject pronoun of a reporting verb to the last speaker just before; return that person."""
    verb = _verb_of(token)
    if verb is None or not _is_reporting(verb, words):
        return None
    recent = [person for at, person in speakers if number - at <= SPEAKER_LOOKBACK]
    if not recent:
        return None
    start, end = parsed.offset(token, sentence.paragraph)
    if token.text.startswith("-"):  # "-il": the mention is the pronoun, without the hyphen
        start += 1
    recent[-1].mentions.append(Mention(start, end, parsed.text[start:end], "pronoun"))
    return recent[-1]


def _verb_of(token):
    """Return the verb a subject pronoun goes with (for "-t-il", the verb just before it)."""
    if token.head.pos_ in ("VERB", "AUX") and token.head.i != token.i:
        return token.head
    for previous in reversed(token.doc[max(0, token.i - 3):token.i]):
        if previous.pos_ in ("VERB", "AUX"):
            return previous
    return None


def _is_reporting(verb, words: Words) -> bool:
    """Return True for a reporting verb ("déclarer", "glisse", "said")."""
    return verb.lemma_.casefold() in words.reporting or verb.lower_ in words.reporting


def _speakers(parsed, sentence, people, words) -> list[Entity]:
    """Return the people who are subjects of a reporting verb in a sentence."""
    found = []
    for token in sentence.span:
        if token.dep_ in SUBJECT_DEPS and _is_reporting(token.head, words):
            start, end = parsed.offset(token, sentence.paragraph)
            person = entity_at(people, start, end)
            if person is not None and person not in found:
                found.append(person)
    return found
