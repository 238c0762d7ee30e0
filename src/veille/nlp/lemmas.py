"""A faster lemmatizer: spaCy's rule lemmatizer's lemmas, remembered per word form, POS and morphology.

spaCy's ``Lemmatizer`` in rule mode works token by token in Python: it makes a ``Token``
object, reads its text, POS and morphology, and sets ``token.lemma_``, for every token of
every doc (about 7 % of the English model's time on news pages). Its lemma is a function of
the token's form, POS and morphology alone (the rule, lookup and exception tables are fixed
once loaded; spaCy's own cache is keyed by a part of them). Here the token fields are read as
one array per doc, each (form, POS, morphology) is lemmatised once by spaCy's own lemmatizer,
and the lemmas are written back with ``Doc.from_array``.

spaCy's semantics are kept: a token whose lemma is already set (by the attribute ruler) keeps
it unless the lemmatizer overwrites; spaCy's lemmatizer still computes every lemma, first met
in the same order, so its cache fills as it would have.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator

import numpy as np
from spacy.attrs import LEMMA, MORPH, ORTH, POS
from spacy.language import Language
from spacy.pipeline import Lemmatizer
from spacy.tokens import Doc

NAME = "lemmatizer"
FACTORY = "veille_lemmatizer"
SETTING = "VEILLE_FAST_LEMMAS"  # "0" keeps spaCy's own lemmatizer (to compare the two): read by nlp.models
FIELDS = [ORTH, POS, MORPH, LEMMA]


def install(nlp: Language) -> bool:
    """Put the remembering lemmatizer in a loaded pipeline; True when it did."""
    if NAME not in nlp.pipe_names:
        return False
    stock = nlp.get_pipe(NAME)
    if not isinstance(stock, Lemmatizer) or stock.mode != "rule":
        return False
    stock(Doc(nlp.vocab, words=[]))  # spaCy checks its tables on its first doc: fail here as it would
    nlp.replace_pipe(NAME, FACTORY).adopt(stock)
    return True


@Language.factory(FACTORY)
def make_lemmatizer(nlp: Language, name: str) -> RememberingLemmatizer:
    """Build a lemmatizer with no rules yet (``install`` gives it spaCy's)."""
    return RememberingLemmatizer(name)


class RememberingLemmatizer:
    """Set each token's lemma as spaCy's rule lemmatizer does, computing each (form, POS, morphology) once."""

    def __init__(self, name: str = NAME) -> None:
        self.name = name
        self.stock: Lemmatizer | None = None
        self.lemmas: dict[tuple[int, int, int], int] = {}

    def adopt(self, stock: Lemmatizer) -> None:
        """Lemmatise with spaCy's loaded lemmatizer (its tables and its mode)."""
        self.stock = stock
        self.lemmas.clear()

    def __call__(self, doc: Doc) -> Doc:
        """Set the lemmas of one doc."""
        self.set_lemmas(doc)
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 128) -> Iterator[Doc]:
        """Set the lemmas of each doc of a stream."""
        for doc in docs:
            self.set_lemmas(doc)
            yield doc

    def set_lemmas(self, doc: Doc) -> None:
        """Write the lemma of every token that spaCy's lemmatizer would set."""
        if not len(doc):
            return
        overwrite = self.stock.overwrite
        lemmas = [lemma if lemma and not overwrite else self._lemma(doc, i, (orth, pos, morph))
                  for i, (orth, pos, morph, lemma) in enumerate(doc.to_array(FIELDS).tolist())]
        doc.from_array([LEMMA], np.array(lemmas, dtype=np.uint64))

    def _lemma(self, doc: Doc, i: int, key: tuple[int, int, int]) -> int:
        """Return the lemma's string id for a (form, POS, morphology), asking spaCy the first time."""
        lemma = self.lemmas.get(key)
        if lemma is None:
            lemma = self.lemmas[key] = doc.vocab.strings.add(self.stock.lemmatize(doc[i])[0])
        return lemma
