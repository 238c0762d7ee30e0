"""The fast attribute ruler gives exactly spaCy's AttributeRuler results, in French and English."""
from __future__ import annotations

import logging

import pytest
import spacy
from spacy.tokens import Doc

from tests.conftest import SAMPLES
from veille.nlp import attributes, models
from veille.nlp.attributes import FastAttributeRuler, NotCompilable, replace_ruler
from veille.nlp.models import model_name
from veille.pipeline import clean_page
from veille.records import Article, Page
from veille.sources import read_pages

TEXTS = {
    "en": [
        "I ain't gonna say it twice, y'all: let's go, c'mon, we gotta leave now.",
        "There is nothin' here. There are two dogs and there's a cat; it is what it is.",
        "But he did not know whether she'd come, because they hadn't called, but  it was late.",
        "You told me that I should've seen it.  They gave it to you and me.\n\nDo it!",
        "The minister, who has been in office since 2019, said: \"We will not back down.\"",
        "That is the one which they chose; those were the days.   Whose book is this?",
        "Gon na, got ta, Let 's go — the wire said 3.5% and $20m on Tuesday.\n",
        "",
        "   ",
    ],
    "fr": [
        "Le ministre russe des Affaires étrangères, Sergueï Lavrov, a reçu hier le général Haftar.",
        "« Nous ne céderons pas », a-t-il déclaré lundi à Moscou,  selon l'agence Tass.\n\nFin.",
        "Il y a deux ans qu'elle n'était pas venue ; c'est pourquoi on l'attendait.",
        "L'ONU, l'UE et l'OTAN se sont réunies à Bruxelles le 3 mars 2024 à 14 h 30.\n",
        "Aujourd'hui, 20 % des électeurs — soit 1,2 million — n'ont pas voté.   Voilà.",
        "",
    ],
}
FIELDS = ("text", "tag_", "pos_", "dep_", "lemma_", "ent_type_", "ent_iob_", "is_sent_start")


def token_rows(docs: list[Doc]) -> list[tuple]:
    """Return every token's attributes, head and morphology, doc by doc."""
    return [[(*(getattr(token, field) for field in FIELDS), str(token.morph), token.head.i) for token in doc]
            for doc in docs]


def load_with_setting(monkeypatch, name: str, value: str | None, model: str):
    """Load a model afresh with a VEILLE_FAST_* setting unset (None) or set to a value."""
    if value is None:
        monkeypatch.delenv(name, raising=False)
    else:
        monkeypatch.setenv(name, value)
    return models._load.__wrapped__(model)


def sample_texts() -> list[str]:
    """Return the bundled sample pages' texts: the dumps as they are, the HTML pages cleaned."""
    dumps = [path.read_text(encoding="utf-8") for path in sorted(SAMPLES.glob("dumps/*/*.txt"))]
    pages = [clean_page(page) for page in read_pages([str(SAMPLES / "html")]) if isinstance(page, Page)]
    articles = [article for article in pages if isinstance(article, Article)]
    return dumps + [text for article in articles for text in (article.title or "", *article.paragraphs)]


@pytest.fixture(scope="module")
def samples() -> list[str]:
    """Return the sample texts once for the module."""
    return sample_texts()


@pytest.mark.parametrize("language", ["en", "fr"])
def test_whole_pipeline_gives_the_same_tokens_as_spacy_ruler(language, samples):
    nlp = spacy.load(model_name(language))  # the stock pipeline: models.load_model installs the fast ruler
    texts = TEXTS[language] + samples  # every sample through both languages' models: odd tags included
    stock = token_rows(list(nlp.pipe(texts, batch_size=7)))
    assert replace_ruler(nlp)
    assert nlp.pipe_names.index("attribute_ruler") == 3 and isinstance(nlp.get_pipe("attribute_ruler"),
                                                                         FastAttributeRuler)
    assert token_rows(list(nlp.pipe(texts, batch_size=7))) == stock
    assert token_rows([nlp(text) for text in texts[:4]]) == stock[:4]
    assert sum(map(len, stock)) > 3000


# -- hand-made patterns on hand-made docs ------------------------------------------------

PATTERNS = [
    {"patterns": [[{"TAG": "NN"}]], "attrs": {"POS": "NOUN", "MORPH": "Number=Sing"}},
    {"patterns": [[{"LOWER": "dog"}]], "attrs": {"POS": "PROPN"}},  # later: wins over the first for POS
    {"patterns": [[{"LOWER": {"IN": ["cat", "dogs"]}, "TAG": {"NOT_IN": ["NNS"]}}]], "attrs": {"LEMMA": "feline"}},
    {"patterns": [[{"LOWER": "gon"}, {"LOWER": "na"}]], "attrs": {"LEMMA": "to"}, "index": 1},
    {"patterns": [[{"LOWER": "gon"}, {}]], "attrs": {"LEMMA": "go"}, "index": -2},
    {"patterns": [[{"IS_SPACE": True}]], "attrs": {"TAG": "_SP", "POS": "SPACE"}},
    {"patterns": [[{"IS_SPACE": True, "DEP": {"NOT_IN": [""]}}]], "attrs": {"DEP": "dep"}},
    {"patterns": [[{"LOWER": {"REGEX": "^y'?$"}}, {"LOWER": "all"}]], "attrs": {"LEMMA": "you"}},
    {"patterns": [[{"LOWER": "very", "OP": "+"}, {"TAG": "JJ"}]], "attrs": {"MORPH": "Degree=Sup"}, "index": -1},
    {"patterns": [[{"TAG": "NN"}]], "attrs": {"MORPH": "Number=Plur"}},  # the same spec again, later
]
WORDS = ["the", "dog", "saw", "a", "cat", "\n", "gon", "na", "y'", "all", "very", "very", "big", "dogs"]
TAGS = ["DT", "NN", "VBD", "DT", "NN", "_SP", "VBG", "TO", "PRP", "DT", "RB", "RB", "JJ", "NNS"]
DEPS = ["det", "nsubj", "ROOT", "det", "dobj", "", "xcomp", "aux", "nsubj", "appos", "advmod", "advmod",
        "amod", "dobj"]


def stock_ruler(patterns: list[dict]):
    """Return spaCy's AttributeRuler holding the patterns, on a blank English pipeline."""
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    ruler.add_patterns(patterns)
    return nlp, ruler


def tagged_doc(vocab, words: list[str] = WORDS, tags: list[str] = TAGS, deps: list[str] = DEPS) -> Doc:
    """Return a doc with the given tags and dependency labels (every head on the first token)."""
    return Doc(vocab, words=words, tags=tags, deps=deps or None, heads=[0] * len(words) if deps else None)


def both_rulers(patterns: list[dict], docs: int = 1) -> tuple[list[tuple], list[tuple]]:
    """Return the token attributes spaCy's ruler and the fast one give the same hand-made docs."""
    nlp, stock = stock_ruler(patterns)
    fast = FastAttributeRuler(nlp.vocab).add_patterns(patterns)
    expected = [stock(tagged_doc(nlp.vocab)) for _ in range(docs)]
    got = list(fast.pipe((tagged_doc(nlp.vocab) for _ in range(docs)), batch_size=4))
    return token_rows(expected), token_rows(got)


def test_hand_made_patterns_give_spacy_results():
    expected, got = both_rulers(PATTERNS, docs=5)
    assert got == expected
    dog, cat, space, gon, na, you, big = (got[0][i] for i in (1, 4, 5, 6, 7, 8, 12))
    assert dog[2] == "PROPN" and dog[8] == "Number=Plur"  # later patterns win, attribute by attribute
    assert cat[2] == "NOUN" and cat[4] == "feline" and got[0][13][4] == ""  # IN and NOT_IN
    assert (gon[4], na[4], you[4]) == ("go", "to", "you")  # several tokens, indices 1 and -2, REGEX
    assert space[1:4] == ("_SP", "SPACE", "")  # IS_SPACE; an empty dependency label is not NOT_IN [""]
    assert big[8] == "Degree=Sup"  # an OP pattern, left to the Matcher


def test_pattern_order_decides_which_wins():
    first, last = PATTERNS[0], {"patterns": [[{"LOWER": "dog"}]], "attrs": {"POS": "VERB", "MORPH": "Mood=Imp"}}
    expected, got = both_rulers([last, first])
    assert got == expected and got[0][1][2] == "NOUN" and got[0][1][8] == "Number=Sing"
    expected, got = both_rulers([first, last])
    assert got == expected and got[0][1][2] == "VERB" and got[0][1][8] == "Mood=Imp"


def test_a_match_never_spans_two_docs_of_a_batch():
    patterns = [PATTERNS[3]]
    nlp, stock = stock_ruler(patterns)
    fast = FastAttributeRuler(nlp.vocab).add_patterns(patterns)
    pieces = [(["we", "gon"], ["PRP", "VBG"]), (["na", "go"], ["TO", "VB"]), (["gon", "na"], ["VBG", "TO"])]
    expected = [stock(tagged_doc(nlp.vocab, words, tags, [])) for words, tags in pieces]
    got = list(fast.pipe([tagged_doc(nlp.vocab, words, tags, []) for words, tags in pieces]))
    assert token_rows(got) == token_rows(expected)
    assert [token.lemma_ for doc in got for token in doc] == ["", "", "", "", "", "to"]


def test_empty_docs_anywhere_in_a_batch():
    nlp, stock = stock_ruler(PATTERNS)
    fast = FastAttributeRuler(nlp.vocab).add_patterns(PATTERNS)
    empty = [Doc(nlp.vocab, words=[]) for _ in range(2)]
    expected = [stock(doc) for doc in (empty[0], tagged_doc(nlp.vocab), empty[1])]
    got = list(fast.pipe([Doc(nlp.vocab, words=[]), tagged_doc(nlp.vocab), Doc(nlp.vocab, words=[])]))
    assert token_rows(got) == token_rows(expected) and len(got[1]) == len(WORDS)
    assert [len(doc) for doc in fast.pipe([Doc(nlp.vocab, words=[])])] == [0] == [len(fast(Doc(nlp.vocab, words=[])))]


def test_an_index_beyond_the_match_fails_as_in_spacy():
    patterns = [{"patterns": [[{"LOWER": "gon"}, {"LOWER": "na"}]], "attrs": {"LEMMA": "go"}, "index": 2}]
    nlp, stock = stock_ruler(patterns)
    fast = FastAttributeRuler(nlp.vocab).add_patterns(patterns)
    for ruler in (stock, fast):
        with pytest.raises(ValueError, match="E1001"):
            ruler(tagged_doc(nlp.vocab))


def test_keys_cached_stay_bounded_by_the_patterns():
    nlp, _ = stock_ruler(PATTERNS)
    fast = FastAttributeRuler(nlp.vocab).add_patterns(PATTERNS)
    list(fast.pipe([tagged_doc(nlp.vocab), tagged_doc(nlp.vocab, [f"word{i}" for i in range(14)])]))
    seen = fast.cached_keys
    list(fast.pipe([tagged_doc(nlp.vocab, [f"word{i}x{j}" for i in range(14)]) for j in range(50)]))
    assert fast.cached_keys == seen > 0  # 700 new words, tags and labels seen: no new key


def test_patterns_setting_a_lexeme_attribute_keep_spacy_ruler(caplog):
    nlp, _ = stock_ruler([{"patterns": [[{"LOWER": "dog"}]], "attrs": {"SHAPE": "Xxx"}}])
    with pytest.raises(NotCompilable):
        FastAttributeRuler(nlp.vocab).add_patterns(nlp.get_pipe("attribute_ruler").patterns)
    with caplog.at_level(logging.WARNING, logger=attributes.__name__):
        assert not replace_ruler(nlp)
    assert type(nlp.get_pipe("attribute_ruler")).__name__ == "AttributeRuler" and "kept" in caplog.text


@pytest.mark.parametrize("setting, fast", [(None, True), ("0", False), ("off", False)])
def test_loading_a_model_installs_the_fast_ruler_unless_turned_off(monkeypatch, setting, fast):
    monkeypatch.setattr(spacy, "load", lambda name: stock_ruler(PATTERNS)[0])
    nlp = load_with_setting(monkeypatch, attributes.SETTING, setting, "any-model")
    assert isinstance(nlp.get_pipe("attribute_ruler"), FastAttributeRuler) == fast
    assert nlp.pipe_names == ["attribute_ruler"]
