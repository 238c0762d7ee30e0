"""The remembering lemmatizer gives exactly spaCy's lemmas, in French and English."""
from __future__ import annotations

import pytest
import spacy

from tests.nlp.test_fast_attributes import TEXTS, load_with_setting, sample_texts, token_rows
from veille.nlp import lemmas
from veille.nlp.lemmas import RememberingLemmatizer
from veille.nlp.models import model_name


@pytest.fixture(scope="module")
def samples() -> list[str]:
    """Return the sample texts once for the module."""
    return sample_texts()


@pytest.mark.parametrize("language", ["en", "fr"])
def test_whole_pipeline_gives_the_same_tokens_as_spacy_lemmatizer(language, samples):
    nlp = spacy.load(model_name(language))
    texts = TEXTS[language] + samples
    stock = token_rows(list(nlp.pipe(texts, batch_size=7)))
    assert lemmas.install(nlp)
    assert isinstance(nlp.get_pipe("lemmatizer"), RememberingLemmatizer)
    assert nlp.pipe_names == spacy.load(model_name(language)).pipe_names
    assert token_rows(list(nlp.pipe(texts, batch_size=7))) == stock
    assert token_rows([nlp(text) for text in texts]) == stock  # again, every lemma now remembered
    assert sum(map(len, stock)) > 3000


def test_each_form_is_lemmatised_once_and_a_set_lemma_is_kept(monkeypatch):
    nlp = spacy.load(model_name("en"))
    assert lemmas.install(nlp)
    remembering = nlp.get_pipe("lemmatizer")
    asked = []
    lemmatize = remembering.stock.lemmatize
    monkeypatch.setattr(remembering.stock, "lemmatize", lambda token: asked.append(token.text) or lemmatize(token))
    docs = list(nlp.pipe(["The dogs ran. The dogs ran."] * 3))
    assert [t.lemma_ for t in docs[0]] == ["the", "dog", "run", ".", "the", "dog", "run", "."]
    assert len(asked) == len(set(asked)) and {"The", "dogs", "ran"} <= set(asked)  # 24 tokens, each form once
    doc = nlp.make_doc("The dogs ran.")
    for name, component in nlp.pipeline[:nlp.pipe_names.index("lemmatizer")]:
        doc = component(doc)
    doc[1].lemma_ = "hound"  # set before the lemmatizer (an attribute ruler may): spaCy keeps it
    assert [t.lemma_ for t in remembering(doc)] == ["the", "hound", "run", "."]


@pytest.mark.parametrize("setting, installed", [(None, True), ("0", False), ("off", False)])
def test_loading_a_model_installs_it_unless_turned_off(monkeypatch, setting, installed):
    nlp = load_with_setting(monkeypatch, lemmas.SETTING, setting, model_name("fr"))
    assert isinstance(nlp.get_pipe("lemmatizer"), RememberingLemmatizer) == installed
