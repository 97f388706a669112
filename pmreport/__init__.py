"""pmreport: checks, reports and analyses for school staff performance management (appraisal).

The public API is re-exported here lazily so that ``import pmreport`` stays cheap.
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__", "load_school", "validate_path", "load_schemas"]


def __getattr__(name: str):  # pragma: no cover - thin lazy re-export
    if name in ("load_school", "validate_path"):
        from pmreport import pipeline

        return getattr(pipeline, name)
    if name == "load_schemas":
        from pmreport.schema import load_schemas

        return load_schemas
    raise AttributeError(name)
