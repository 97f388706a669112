"""Behaviour pinned: `report.json`, `check --json` and `moderation.json` for the three bundled samples are
byte-identical to the stored golden files (tests/golden/; rewrite them with `python -m tests.support.golden`
only for an intended change, and list it in the commit)."""

from __future__ import annotations

import difflib

import pytest

from tests.support.golden import FILES, GOLDEN, SAMPLES, produce


@pytest.mark.parametrize("sample", SAMPLES)
def test_outputs_match_the_golden_files(sample: str, tmp_path) -> None:
    made = produce(sample, tmp_path)
    for name in FILES:
        expected = (GOLDEN / sample / name).read_bytes()
        if made[name] != expected:
            diff = difflib.unified_diff(expected.decode().splitlines(), made[name].decode().splitlines(),
                                        f"golden/{sample}/{name}", "now", lineterm="", n=1)
            pytest.fail(f"{sample}/{name} differs from the golden file:\n" + "\n".join(list(diff)[:60]))
