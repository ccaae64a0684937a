"""Shared set-up of the alert tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from execdash.alerts import hook
from execdash.db import changes


@pytest.fixture(autouse=True)
def _rules_evaluated_only_when_a_test_says() -> Iterator[None]:
    """Start each test without the after-change hook, and put it back after.

    An app or a CLI command built earlier in the same process installs it, and it then
    evaluates the rules inside every write, so a test that evaluates by hand after a write would
    find nothing left to do. Tests of the hook install it themselves (`installed`).
    """
    was_installed = hook.after_change in changes._hooks
    changes.remove_change_hook(hook.after_change)
    yield
    changes.remove_change_hook(hook.after_change)
    if was_installed:
        hook.install()
