"""Generated docs are current, and the schemas they come from are fully described."""

from __future__ import annotations

from pathlib import Path

import pytest

from pmreport import docs_gen
from pmreport.normalise import parse_value
from pmreport.schema import FIELD_TYPES, header_key, load_schemas, sensitivity_classes

ROOT = Path(__file__).resolve().parent.parent
SCHEMAS = load_schemas()
FIELDS = [(sheet, f) for sheet, sch in SCHEMAS.items() for f in sch.fields]


@pytest.mark.parametrize(("rel", "render"), docs_gen.generated_docs(), ids=[rel for rel, _ in docs_gen.generated_docs()])
def test_generated_doc_is_current(rel: str, render) -> None:
    path = ROOT / rel
    assert path.is_file(), f"{rel} is missing: run python -m pmreport.docs_gen"
    assert path.read_text(encoding="utf-8") == render(), f"{rel} is stale: run python -m pmreport.docs_gen"


def test_data_contract_is_registered() -> None:
    assert ("docs/data-contract.md", docs_gen.render_data_contract) in docs_gen.generated_docs()


def test_check_finds_stale_docs_and_write_fixes_them(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.setattr(docs_gen, "ROOT", tmp_path)
    every = [rel for rel, _ in docs_gen.generated_docs()]
    assert docs_gen.main(["--check"]) == 1
    out = capsys.readouterr().out
    assert all(rel in out for rel in every)
    assert docs_gen.main([]) == 0
    assert docs_gen.main(["--check"]) == 0
    (tmp_path / "docs/data-contract.md").write_text("edited by hand\n", encoding="utf-8")
    assert docs_gen.stale_docs(tmp_path) == ["docs/data-contract.md"]


@pytest.mark.parametrize(("sheet", "f"), FIELDS, ids=[f"{s}.{f.name}" for s, f in FIELDS])
def test_every_field_has_a_description_and_a_sensitivity_class(sheet: str, f) -> None:
    assert len(f.description) >= 10, f"{sheet}.{f.name} needs a description"
    assert f.sensitivity in sensitivity_classes()


@pytest.mark.parametrize("sheet", list(SCHEMAS))
def test_every_sheet_has_a_title_and_description(sheet: str) -> None:
    assert SCHEMAS[sheet].title and len(SCHEMAS[sheet].description) >= 10


def test_data_contract_mentions_every_field_alias_and_code() -> None:
    text = docs_gen.render_data_contract()
    for sheet, f in FIELDS:
        assert f"`{f.name}`" in text
        assert all(alias in text for alias in f.aliases), f"{sheet}.{f.name} aliases"
        assert all(f"`{code}`" in text for code in f.codes), f"{sheet}.{f.name} codes"
        for group in f.groups:
            assert f"`{group}`" in text


def test_every_type_and_sensitivity_class_is_explained() -> None:
    assert set(docs_gen.TYPE_NOTES) == set(FIELD_TYPES) == set(docs_gen.FORMAT_EXAMPLES)
    assert list(sensitivity_classes()) == ["direct_identifier", "free_text", "special_category", "quasi_identifier", "none"]


def _a_field_of_type(kind: str):
    if kind == "code":
        return SCHEMAS["reviews"].field("assessment")  # the examples are spellings of partly_met
    return next(f for _, f in FIELDS if f.type == kind)


@pytest.mark.parametrize(("kind", "example"), [(k, e) for k, es in docs_gen.FORMAT_EXAMPLES.items() for e in es])
def test_documented_examples_are_accepted(kind: str, example: str) -> None:
    """The data contract promises nothing the normaliser does not read."""
    value, problem = parse_value(example, _a_field_of_type(kind))
    assert problem is None and value is not None


def test_documented_header_examples_fold_together() -> None:
    assert {header_key(x) for x in ("Staff ID", "staff_id", "STAFF-ID", "Staff I.D.")} == {"staffid"}
    assert "`Staff I.D.`" in docs_gen.render_data_contract()


def test_optional_docs_are_skipped_only_when_their_module_is_absent(tmp_path: Path, monkeypatch) -> None:
    assert docs_gen._optional_render("pmreport.no_such_package.docs", "render") is None
    assert docs_gen._optional_render("pmreport.no_such_module", "render") is None
    (tmp_path / "pmreport_broken_docs.py").write_text("import pmreport_missing_dependency\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(ModuleNotFoundError):
        docs_gen._optional_render("pmreport_broken_docs", "render")
