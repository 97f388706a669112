"""docs/disclosure.md describes every setting, every finding code and every symbol."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from pmreport.disclosure import GOVERNOR_POLICY, DisclosurePolicy
from pmreport.disclosure.findings import FINDING_CODES

ROOT = Path(__file__).resolve().parents[2]
DOC = (ROOT / "docs" / "disclosure.md").read_text(encoding="utf-8")
SOURCE = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "pmreport" / "disclosure").glob("*.py"))


@pytest.mark.parametrize("setting", [f.name for f in dataclasses.fields(DisclosurePolicy) if f.name != "name"])
def test_every_setting_is_documented(setting):
    assert f"`{setting}`" in DOC


@pytest.mark.parametrize("code", sorted(FINDING_CODES))
def test_every_finding_code_is_documented(code):
    assert f"`{code}`" in DOC


def test_every_finding_code_used_is_catalogued():
    used = set(re.findall(r'Finding\(\s*"([a-z_]+)"', SOURCE)) | set(re.findall(r'append\(\("([a-z_]+)"', SOURCE))
    assert len(used) > 15
    assert used == set(FINDING_CODES), used ^ set(FINDING_CODES)


def test_every_symbol_is_documented():
    s = GOVERNOR_POLICY.symbols
    for symbol in (s.suppressed, s.unreliable, s.low, s.not_available, s.not_applicable):
        assert f"`[{symbol}]`" in DOC
