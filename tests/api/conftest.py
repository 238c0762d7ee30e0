"""Fixtures of the API tests: the sample store and a test client of the app over it."""
from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.api.stores import sample_store
from veille.api import create_app


@pytest.fixture(scope="session")
def store_path(tmp_path_factory):
    """Return the path of the sample store (built once per process)."""
    return sample_store(tmp_path_factory)


@pytest.fixture(scope="module")
def client(store_path):
    """Return a test client of the app over the sample store, without a token."""
    with TestClient(create_app(str(store_path))) as test_client:
        yield test_client
