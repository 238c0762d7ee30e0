"""The reliability suite: small variants run by `make test`, full-size ones (marked slow) by `make stress`."""
from __future__ import annotations

import pytest

from bad_inputs import is_stress_run


def pytest_collection_modifyitems(config, items) -> None:
    """Skip the tests marked slow unless VEILLE_STRESS=1 (set by `make stress`)."""
    if is_stress_run():
        return
    skip = pytest.mark.skip(reason="full-size variant: run by `make stress` (VEILLE_STRESS=1)")
    for item in items:
        if item.get_closest_marker("slow"):
            item.add_marker(skip)
