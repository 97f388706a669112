"""Names that explain themselves (issue 15): no two modules share a basename unless they are one concept
in parallel packages (listed here, each with why), and no two classes share a name."""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "pmreport"

#: Basenames shared on purpose: the same concept in parallel packages.
PARALLEL = {
    "template.py": "the template, and the command that writes it (cli/)",
    "export_return.py": "the union return, and the command that writes it (cli/)",
    "column_map.py": "the school's column map, and the command that writes a starter map (cli/)",
    "reviews.py": "the rules about reviews, and the generator's reviews (synth/)",
    "observations.py": "the rules about observations, and the generator's observations (synth/)",
    "html.py": "the HTML of the governors' report and of the union report",
    "equality.py": "equality in moderation (one school) and in the union's analysis (many schools)",
}


def _modules() -> list[Path]:
    return [p for p in PACKAGE.rglob("*.py") if p.name != "__init__.py"]


def test_no_two_modules_share_a_basename_unless_parallel() -> None:
    by_name: dict[str, list[str]] = defaultdict(list)
    for path in _modules():
        by_name[path.name].append(path.relative_to(PACKAGE).as_posix())
    shared = {name: paths for name, paths in by_name.items() if len(paths) > 1}
    assert set(shared) <= set(PARALLEL), {n: p for n, p in shared.items() if n not in PARALLEL}
    assert all(len(paths) == 2 for paths in shared.values()), shared


def test_no_two_classes_share_a_name() -> None:
    where: dict[str, list[str]] = defaultdict(list)
    for path in _modules():
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.ClassDef) and not node.name.startswith("_"):
                where[node.name].append(path.relative_to(PACKAGE).as_posix())
    assert {name: files for name, files in where.items() if len(files) > 1} == {}
