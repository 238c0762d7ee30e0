"""Errors that stop a whole run. A bad page is never one of these: it is a Reject.

    VeilleError (exit 1)
    ├── UsageError (exit 2)          bad arguments, unknown format, missing input
    ├── StoreError (exit 3)          the DuckDB file cannot be used
    │   └── StoreLockedError (exit 4)  another process holds the write lock
    └── StrictModeError (exit 5)     --strict and at least one page was rejected
"""
from __future__ import annotations


class VeilleError(Exception):
    """A failure of the whole run; the message says what went wrong and what to do."""

    exit_code = 1


class UsageError(VeilleError):
    """The command was given something it cannot use."""

    exit_code = 2


class StoreError(VeilleError):
    """The store cannot be opened, read or written."""

    exit_code = 3


class StoreLockedError(StoreError):
    """Another process holds the store's write lock."""

    exit_code = 4


class StrictModeError(VeilleError):
    """A page was rejected while --strict was set."""

    exit_code = 5
