"""The admin tests reuse the console's accounts and signed-in pages."""

from __future__ import annotations

from ..console.conftest import supervisors

__all__ = ["supervisors"]
