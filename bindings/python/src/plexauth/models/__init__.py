"""Models: ``operations`` (requests, results), ``errors`` and ``components``."""

from . import components, errors, operations

__all__ = ["components", "errors", "operations"]
