"""Layer parity cases, one module per layer family (`CASES`, made with `layerkit.layer_case`)."""

from __future__ import annotations

import importlib
from pathlib import Path

FAMILIES = sorted(p.stem for p in Path(__file__).parent.glob("[a-z]*.py"))


def all_cases() -> list:
    """Every family's cases, families in alphabetical order."""
    return [case for family in FAMILIES
            for case in importlib.import_module(f"compat.layer_cases.{family}").CASES]
