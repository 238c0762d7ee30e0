"""The models' products on numpy's BLAS, one thread, give exactly the annotations of thinc's BLIS."""
from __future__ import annotations

import numpy as np
import pytest
import spacy
from thinc.api import NumpyOps

from tests.nlp.test_fast_attributes import TEXTS, load_with_setting, sample_texts, token_rows
from veille.nlp import gemm
from veille.nlp.gemm import OneThreadNumpyOps
from veille.nlp.models import model_name


def annotations(docs) -> list[tuple]:
    """Return every token's attributes and head, and every doc's entities."""
    return [(rows, [(e.start, e.end, e.label_) for e in doc.ents]) for rows, doc in zip(token_rows(docs), docs)]


def layer_ops(nlp) -> list:
    """Return the ops of every layer of a pipeline's models."""
    models = [getattr(component, "model", None) for _, component in nlp.pipeline]
    return [node.ops for model in models if model is not None for node in model.walk()]


@pytest.mark.parametrize("language", ["en", "fr"])
def test_whole_pipeline_gives_the_same_annotations_as_blis(language):
    nlp = spacy.load(model_name(language))
    texts = TEXTS[language] + sample_texts()
    stock = annotations(list(nlp.pipe(texts, batch_size=16)))
    assert all(type(ops) is NumpyOps and ops.use_blis for ops in layer_ops(nlp))
    assert gemm.install(nlp)
    assert all(isinstance(ops, OneThreadNumpyOps) for ops in layer_ops(nlp))
    assert annotations(list(nlp.pipe(texts, batch_size=16))) == stock
    assert sum(len(rows) for rows, _ in stock) > 3000 and any(ents for _, ents in stock)


def test_a_product_runs_on_one_blas_thread_and_the_count_comes_back(monkeypatch):
    controller = gemm._blas()
    before = [info["num_threads"] for info in controller.info()]
    during = []
    dot = np.dot
    monkeypatch.setattr(np, "dot", lambda a, b, **kw: during.append([i["num_threads"] for i in controller.info()])
                        or dot(a, b, **kw))  # thinc's Ops.gemm calls numpy.dot
    x, y = np.arange(12, dtype="f").reshape(3, 4), np.arange(8, dtype="f").reshape(2, 4)
    product = OneThreadNumpyOps().gemm(x, y, trans2=True)
    assert np.allclose(product, x @ y.T)
    assert during and during[0] and all(count == 1 for count in during[0])
    assert [info["num_threads"] for info in controller.info()] == before


@pytest.mark.parametrize("setting, installed", [(None, True), ("0", False), ("off", False)])
def test_loading_a_model_installs_it_unless_turned_off(monkeypatch, setting, installed):
    nlp = load_with_setting(monkeypatch, gemm.SETTING, setting, model_name("fr"))
    assert all(isinstance(ops, OneThreadNumpyOps) == installed for ops in layer_ops(nlp))
