"""Who did it and to whom: the actor and target tokens of a trigger verb, read from the parse.

Both label sets are read: Universal Dependencies (the French model: nsubj, obj, obl:agent,
case) and ClearNLP (the English one: nsubj, dobj, agent, prep/pobj, prt). The rules:

- the actor is the subject; in the passive ("a été reçu par", "was received by") the agent,
  and the subject becomes the target;
- a participle that modifies a noun ("l'embargo imposé par l'Onu") takes that noun as its
  object; an active relative clause ("les forces qui le soutiennent") takes it as its subject;
- a verb without a subject borrows it: an infinitive from the verb it completes ("a dit avoir
  eu un entretien"), a verb joined by "et" from the first, and a participle standing alone
  after a comma ("X, venu solliciter") from the nearest name before it;
- coordinated subjects or objects ("L'Égypte et les Émirats") each give an event.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from veille.nlp.event_lexicon import Trigger

SUBJECTS = frozenset({"nsubj", "csubj"})
PASSIVE_SUBJECTS = frozenset({"nsubj:pass", "nsubjpass"})
OBJECTS = frozenset({"obj", "dobj"})
INDIRECT_OBJECTS = frozenset({"iobj", "dative"})
AGENTS = frozenset({"obl:agent", "agent"})
OBLIQUES = frozenset({"obl", "obl:arg", "obl:mod", "nmod", "prep", "iobj", "advmod"})
COMPLEMENTS = frozenset({"xcomp", "ccomp", "advcl"})
RELATIVE_CLAUSES = frozenset({"acl:relcl", "relcl"})
NOUN_MODIFIERS = frozenset({"acl"})
PARTICLES = frozenset({"prt", "prep", "advmod"})  # "pull out": the English model also calls "out" a preposition
PASSIVE_AUXILIARIES = frozenset({"aux:pass", "auxpass"})
REFLEXIVES = frozenset({"se", "s'", "s’", "me", "m'", "te", "t'", "nous", "vous"})
# Object clitics before the verb, read by position: the parser often labels them det or nsubj.
OBJECT_CLITICS = frozenset({"le", "la", "l'", "l’", "les", "lui", "leur"})
INDIRECT_CLITICS = frozenset({"lui", "leur"})
# Subject pronouns the French model may label expletive although they name someone ("Il lui a promis").
PERSONAL_SUBJECTS = frozenset({"il", "elle", "ils", "elles"})
RELATIVE_PRONOUNS = frozenset({"qui", "who", "which", "that", "lequel", "laquelle", "lesquels"})


@dataclass(slots=True)
class Arguments:
    """The tokens a trigger's actor and target may be read from, and the verb that carries them."""

    actors: list[Any] = field(default_factory=list)
    targets: list[list[Any]] = field(default_factory=list)  # alternatives, the first that resolves wins
    what: Any | None = None  # the noun of a bracketed object ("soutien", "embargo")
    alone: Any | None = None  # a participle whose subject is the nearest name before it
    alone_is_actor: bool = True  # which side that subject is


def matches(verb: Any, trigger: Trigger, dative: frozenset[str] = frozenset()) -> Any | None:
    """Return the trigger's object noun (or the verb) when the verb has all the trigger asks for, else None.

    A marker must be there ("meet with X"), or an indirect object when the marker is one it
    stands for ("lui exprimer son soutien"), so that a less specific trigger gets its turn.
    """
    if trigger.reflexive != _reflexive(verb):  # "se rendre à" is not "rendre", nor "se mobiliser" "mobiliser"
        return None
    if trigger.particle and not any(c.dep_ in PARTICLES and c.lower_ == trigger.particle for c in verb.children):
        return None
    what = verb
    if trigger.objects:
        what = next((noun for noun in _object_nouns(verb) if noun.lemma_.casefold() in trigger.objects
                     or noun.lower_ in trigger.objects), None)
        if what is None:
            return None
    if trigger.markers and not _marked(verb, trigger, what if what.i != verb.i else None):
        if not (trigger.markers & dative and _indirect_objects(verb)):
            return None
    return what


def arguments(verb: Any, trigger: Trigger, what: Any, dative: frozenset[str] = frozenset(),
              recipients: frozenset[str] = frozenset(), control_verbs: frozenset[str] = frozenset()) -> Arguments:
    """Return the actor and target tokens of a matched trigger.

    dative: the markers an indirect object stands for; recipients: the prepositions that
    introduce whom an infinitive complement acts on ("threatened to break off relations with X").
    """
    found = Arguments(what=what if what.i != verb.i else None)
    passive = _is_passive(verb)
    subjects, found.alone = _subjects(verb, passive, control_verbs)
    if trigger.reversed:
        found.actors, found.targets, found.alone_is_actor = _marked(verb, trigger, found.what), [subjects], False
        return found
    found.actors = subjects
    if trigger.markers:
        found.targets.append(_marked(verb, trigger, found.what))
        if trigger.markers & dative:
            found.targets.append(_indirect_objects(verb))
    elif found.what is None:  # the object, else the recipient of a thing given ("lui a promis une aide à X")
        objects = _direct_objects(verb, passive)
        found.targets += [objects, _indirect_objects(verb), _governed(verb, dative) if objects else []]
    else:
        found.targets.append(_indirect_objects(verb))
    if found.what is not None:
        found.targets.append(_affected(found.what))
    if not any(c.dep_ in OBJECTS for c in verb.children):  # "begged lawmakers to ...": the lawmakers, or no one
        found.targets.extend(_complement_targets(verb, recipients))
    if found.what is not None:  # what was done may itself be the recipient: "a libéré trois otages israéliens"
        found.targets.append([found.what])
    return found


def _complement_targets(verb: Any, recipients: frozenset[str]) -> list[list[Any]]:
    """Return whom a verb's complement clause acts on ("threatened to shell Iraqi towns", "demanded that X end")."""
    for child in verb.children:
        if child.dep_ == "xcomp" and child.pos_ == "VERB":
            objects = [c for c in child.children if c.dep_ in OBJECTS]
            return [_direct_objects(child, _is_passive(child)), _indirect_objects(child),
                    _governed(child, recipients), *(_governed(o, recipients) for o in objects)]
        if child.dep_ == "ccomp" and child.pos_ == "VERB":
            return [[n for c in child.children if c.dep_ in SUBJECTS for n in coordinated(c)]]
    return []


def coordinated(token: Any) -> Iterator[Any]:
    """Yield a token and the tokens coordinated with it ("L'Égypte et les Émirats")."""
    yield token
    for child in token.children:
        if child.dep_ == "conj" and child.pos_ in ("NOUN", "PROPN", "PRON"):
            yield from coordinated(child)


def clause_verb(token: Any) -> Any:
    """Return the verb whose clause a token belongs to (itself for a verb)."""
    seen = 0
    while token.pos_ not in ("VERB", "AUX") and token.head.i != token.i and seen < 40:
        token, seen = token.head, seen + 1
    return token


def _reflexive(verb: Any) -> bool:
    """Return True when a verb has its reflexive clitic ("s'emparer", "se rendre")."""
    if any(child.lower_ in REFLEXIVES and child.pos_ == "PRON" for child in verb.children):
        return True
    before = [t for t in verb.doc[max(0, verb.i - 4):verb.i] if t.pos_ in ("PRON", "AUX", "PART", "ADV")]
    return any(t.lower_ in REFLEXIVES for t in before)


def _object_nouns(verb: Any) -> list[Any]:
    """Return the nouns a verb acts on: its objects, its passive subject, the noun its participle modifies."""
    nouns = [c for c in verb.children if c.dep_ in OBJECTS | PASSIVE_SUBJECTS or _partitive(c)]
    if verb.dep_ in NOUN_MODIFIERS and verb.head.pos_ in ("NOUN", "PROPN"):
        nouns.append(verb.head)
    nouns = [n for noun in nouns for n in coordinated(noun)]
    # What a measure holds counts too: "200 tonnes d'aide", "a shipment of arms".
    return nouns + [_of(c) for noun in nouns for c in noun.children if c.dep_ in ("nmod", "prep") and _of(c)]


def _bare_nominal(token: Any) -> bool:
    """Return True for a noun the model hangs on a verb as an oblique without preposition ("appelé toutes les parties")."""
    return token.dep_.startswith("obl") and token.pos_ in ("NOUN", "PROPN") and not any(
        c.dep_ == "case" for c in token.children)


def _partitive(token: Any) -> bool:
    """Return True for an object written with "de" after a negation ("n'a pas imposé de sanctions")."""
    return token.dep_ == "obl:arg" and [c.lower_ for c in token.children if c.dep_ == "case"] in (["de"], ["d'"], ["d’"])


def _of(token: Any) -> Any | None:
    """Return the noun a "de"/"of" dependent introduces, or None."""
    if token.dep_ == "prep":
        return next((c for c in token.children if c.dep_ == "pobj"), None) if token.lower_ == "of" else None
    return token if any(c.dep_ == "case" and c.lower_ in ("de", "d'", "d’", "des", "du") for c in token.children) else None


def _is_passive(verb: Any) -> bool:
    """Return True for a verb in the passive, or a past participle modifying a noun.

    A French reflexive verb is not passive although the model may give it a passive subject
    ("les forces se sont retirées").
    """
    if any(c.dep_ in PASSIVE_AUXILIARIES for c in verb.children):
        return True
    if any(c.dep_ in PASSIVE_SUBJECTS for c in verb.children):
        return not _reflexive(verb)
    return verb.dep_ in NOUN_MODIFIERS and (verb.tag_ == "VBN" or verb.morph.get("Tense") == ["Past"])


def _subjects(verb: Any, passive: bool, control_verbs: frozenset[str] = frozenset()) -> tuple[list[Any], Any | None]:
    """Return the subject tokens of a verb, or the participle whose subject is the nearest name before.

    control_verbs: the verbs whose object does what their complement says ("urge X to").
    """
    if passive:
        return [n for c in verb.children if is_agent(c) for n in coordinated(_noun_of(c))], None
    # One subject, the nearest: a misparse may hang two on one verb ("company ... after Neumann stepped down").
    heads = sorted((c for c in verb.children if c.dep_ in SUBJECTS | PASSIVE_SUBJECTS), key=lambda c: abs(verb.i - c.i))
    own = list(coordinated(heads[0])) if heads else []
    own = own or [c for c in verb.children if c.dep_ == "expl:subj" and c.lower_ in PERSONAL_SUBJECTS]
    if own:
        return [_antecedent_of_relative(token) for token in own], None
    if verb.dep_ in RELATIVE_CLAUSES or (verb.dep_ in NOUN_MODIFIERS and verb.head.pos_ in ("NOUN", "PROPN")
                                         and not _infinitive(verb)):  # "an appeal to lay down arms": not the appeal
        return list(coordinated(verb.head)), None
    if verb.dep_ == "conj" and verb.head.pos_ in ("VERB", "AUX"):  # "was indicted ... and will resign"
        shared = [n for c in verb.head.children if c.dep_ in SUBJECTS | PASSIVE_SUBJECTS for n in coordinated(c)]
        if shared:
            return [_antecedent_of_relative(token) for token in shared], None
    if verb.dep_ in COMPLEMENTS | {"conj"} and verb.head.i != verb.i and verb.head.pos_ in ("VERB", "AUX"):
        controller = [c for c in verb.head.children if c.dep_ in OBJECTS or _bare_nominal(c)] \
            if verb.dep_ == "xcomp" and verb.head.lemma_.casefold() in control_verbs else []
        if controller:  # "urged the Community to support", "a appelé les parties à respecter": the object acts
            return [n for c in controller for n in coordinated(c)], None
        return _subjects(verb.head, _is_passive(verb.head) and verb.dep_ == "conj", control_verbs)
    return [], verb if _stands_alone(verb) else None


def is_agent(token: Any) -> bool:
    """Return True for the agent of a passive ("par Israël", "by the police"), however the model labels it."""
    return token.dep_ in AGENTS or (token.dep_.startswith("obl") and any(
        c.dep_ == "case" and c.lower_ == "par" for c in token.children))


def _infinitive(verb: Any) -> bool:
    """Return True for an infinitive ("to lay", "à respecter")."""
    return verb.morph.get("VerbForm") == ["Inf"] or verb.tag_ == "VB" and any(c.lower_ == "to" for c in verb.children)


def _stands_alone(verb: Any) -> bool:
    """Return True for a participle without subject or auxiliary after a comma ("X, venu solliciter")."""
    if verb.morph.get("VerbForm") != ["Part"] or any(c.dep_.startswith("aux") for c in verb.children):
        return False
    previous = verb.doc[verb.i - 1] if verb.i > 0 else None
    return previous is not None and previous.text == ","


def _antecedent_of_relative(token: Any) -> Any:
    """Return the noun a relative pronoun subject stands for ("les forces qui..." → "forces")."""
    if token.lower_ in RELATIVE_PRONOUNS and token.head.dep_ in RELATIVE_CLAUSES:
        return token.head.head
    return token


def _direct_objects(verb: Any, passive: bool) -> list[Any]:
    """Return a verb's direct objects (its subject in the passive), or its object clitics."""
    deps = PASSIVE_SUBJECTS if passive else OBJECTS
    found = [n for c in verb.children if c.dep_ in deps for n in coordinated(c)]
    if not found and not passive:  # "a reçu lundi Xi Jinping": the model hangs the name on the day
        found = [a for c in verb.children if c.dep_.startswith("obl") and c.pos_ == "NOUN"
                 for a in c.children if a.dep_ == "appos" and a.pos_ == "PROPN"]
    if passive and not found and verb.dep_ in NOUN_MODIFIERS:
        found = list(coordinated(verb.head))
    return [_antecedent_of_relative(token) for token in found] or ([] if passive else _clitics(verb, OBJECT_CLITICS))


def _indirect_objects(verb: Any) -> list[Any]:
    """Return a verb's indirect objects ("lui", "give X aid")."""
    found = [n for c in verb.children if c.dep_ in INDIRECT_OBJECTS and c.lower_ not in REFLEXIVES
             for n in coordinated(_noun_of(c))]
    return found or _clitics(verb, INDIRECT_CLITICS)


def _clitics(verb: Any, forms: frozenset[str]) -> list[Any]:
    """Return the object pronouns written just before a verb or its auxiliary ("l'empêche", "lui ont exprimé")."""
    first = min([verb.i, *(c.i for c in verb.children if c.dep_.startswith("aux") and c.i < verb.i)])
    found = []
    for token in reversed(verb.doc[max(0, first - 3):first]):
        if token.lower_ in forms and token.pos_ == "PRON":
            found.append(token)
        elif token.lower_ not in REFLEXIVES | {"ne", "n'", "n’", "y", "en"}:
            break
    return found


def _affected(noun: Any) -> list[Any]:
    """Return what a nominal event acts on when it is a clause's subject ("l'embargo l'empêche")."""
    if noun.dep_ not in SUBJECTS or noun.head.pos_ not in ("VERB", "AUX"):
        return []
    return _direct_objects(noun.head, False)


def _marked(verb: Any, trigger: Trigger, what: Any | None) -> list[Any]:
    """Return the nouns the verb, or else its object noun, governs through one of the trigger's markers."""
    return _governed(verb, trigger.markers) or (_governed(what, trigger.markers) if what is not None else [])


def _governed(head: Any, markers: frozenset[str]) -> list[Any]:
    """Return the nouns a head governs through one of the markers ("avec X", "à X", "with X")."""
    found = []
    for child in head.children:
        if child.dep_ == "prep" and child.lower_ in markers:  # English: the preposition heads its noun
            found.extend(n for c in child.children if c.dep_ == "pobj" for n in coordinated(c))
        elif child.dep_ in OBLIQUES and _case(child) & markers:
            found.extend(coordinated(child))
    return found


def _case(noun: Any) -> set[str]:
    """Return the preposition forms that introduce a noun ("au" counts as "au" and "à")."""
    cases = {c.lower_ for c in noun.children if c.dep_ == "case"}
    cases |= {c.lemma_.casefold().split(" ")[0] for c in noun.children if c.dep_ == "case"}
    return cases


def _noun_of(token: Any) -> Any:
    """Return the noun of a preposition token in English ("by" → its object), else the token."""
    objects = [c for c in token.children if c.dep_ == "pobj"]
    return objects[0] if token.pos_ == "ADP" and objects else token
