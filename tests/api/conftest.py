"""Fixtures of the API tests: a test client of the app over the sample store (`store_path`, tests/api/stores.py)."""
from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from veille.api import create_app


@pytest.fixture(scope="module")
def client(store_path):
    """Return a test client of the app over the sample store, without a token."""
    with TestClient(create_app(str(store_path))) as test_client:
        yield test_client
