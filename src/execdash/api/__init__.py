"""The HTTP API: `create_app(settings)` builds the FastAPI application.

`create_app` is loaded on first use, so command-line tools that only need a helper module of
this package (accounts, for `execdash users`) do not import the whole web stack.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from execdash.api.app import create_app

__all__ = ["create_app"]


def __getattr__(name: str) -> Any:
    if name == "create_app":
        from execdash.api.app import create_app

        return create_app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
