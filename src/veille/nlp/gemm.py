"""Faster matrix products for the models: numpy's BLAS on one thread instead of thinc's BLIS.

thinc computes every layer's matrix product (``Ops.gemm``) with the BLIS library by default.
On this project's machines numpy's own BLAS (OpenBLAS) runs the same float32 products about
three times faster on one thread (a 20,000 x 288 by 288 x 288 product: 49 ms against 165 ms),
and thinc can use it: ``NumpyOps(use_blis=False)``. OpenBLAS would start a thread per core,
which costs far more than it gives on a model's small products (500 x 96 by 96 x 128: 7.8 ms
on two threads, 0.16 ms on one) and competes with the other workers for the cores, so each
product runs with BLAS limited to one thread (threadpoolctl), and only while it runs.

Installed on each loaded pipeline by ``nlp.models``; ``VEILLE_FAST_GEMM=0`` keeps thinc's
BLIS. The parser's and entity recogniser's step loop calls BLIS from compiled code and keeps
it. On the dev pages' 101,105 tokens every tag, parse, lemma, morphology and entity is the
same either way (docs/performance.md).
"""
from __future__ import annotations

import functools
from typing import Any

from spacy.language import Language
from thinc.api import NumpyOps
from threadpoolctl import ThreadpoolController

SETTING = "VEILLE_FAST_GEMM"  # "0" keeps thinc's BLIS products: read by nlp.models


class OneThreadNumpyOps(NumpyOps):
    """thinc's NumpyOps with numpy's BLAS for products, each product on one BLAS thread."""

    def __init__(self, **kwargs: Any):
        super().__init__(use_blis=False, **kwargs)

    def gemm(self, x, y, out=None, trans1=False, trans2=False):
        """Return x @ y (either transposed first), computed by numpy on one BLAS thread."""
        with _blas().limit(limits=1):
            return super().gemm(x, y, out=out, trans1=trans1, trans2=trans2)


@functools.cache
def _blas() -> ThreadpoolController:
    """Return the controller of the process's BLAS libraries (found once: it reads the loaded libraries)."""
    return ThreadpoolController().select(user_api="blas")


def install(nlp: Language) -> bool:
    """Give every layer of a loaded pipeline's models the one-thread numpy products; True when any."""
    ops = OneThreadNumpyOps()
    models = [getattr(component, "model", None) for _, component in nlp.pipeline]
    layers = [node for model in models if hasattr(model, "walk") for node in model.walk()]
    for layer in layers:
        layer.ops = ops
    return bool(layers)
