"""A wheel built from this checkout works on its own: it carries the data contract, the sample
workbooks and the dashboard's assets, and its commands run from a folder outside the checkout.

The wheel is built from a copy of the sources (so that nothing is written into the checkout) and
installed with ``--no-deps`` into a fresh virtual environment. Its dependencies come from this
environment's site-packages, added to the new one's ``sys.path`` by a ``.pth`` file: that adds
the folder only, so this checkout's editable install (a finder registered by a ``.pth`` file
inside that folder) stays inactive, and ``import pmreport`` finds the wheel's copy. A second
``.pth`` file makes the union extra's packages (duckdb, ibis, statsmodels, pyspark) impossible to
import, as in a core install: the school's commands must not need them.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

NO_EXTRAS = '''import sys


class _NotInstalled:
    """Imports of the extras' packages fail, as if only the core of pmreport were installed."""

    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("duckdb", "ibis", "statsmodels", "pyspark"):
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None


sys.meta_path.insert(0, _NotInstalled())
'''


def _copy_sources(dest: Path) -> None:
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, dest / name)
    shutil.copytree(ROOT / "pmreport", dest / "pmreport", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("wheel")
    src, dist, env_dir, work = base / "src", base / "dist", base / "venv", base / "elsewhere"
    for folder in (src, dist, work):
        folder.mkdir()
    _copy_sources(src)
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--quiet",
                    "--wheel-dir", str(dist), str(src)], check=True, capture_output=True, cwd=base)
    (wheel,) = dist.glob("pmreport-*.whl")
    venv.EnvBuilder(with_pip=False).create(env_dir)
    python = env_dir / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "--quiet",
                    str(wheel)], check=True, capture_output=True, cwd=base)
    site = Path(subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                               check=True, capture_output=True, text=True).stdout.strip())
    (site / "_pmreport_test_deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    (site / "_pmreport_test_no_extras.py").write_text(NO_EXTRAS, encoding="utf-8")
    (site / "_pmreport_test_no_extras.pth").write_text("import _pmreport_test_no_extras\n", encoding="utf-8")
    script = env_dir / ("Scripts/pmreport.exe" if os.name == "nt" else "bin/pmreport")
    return {"wheel": wheel, "python": python, "pmreport": script, "work": work, "site": site}


def _run(installed: dict[str, Path], *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}
    env["COLUMNS"] = "200"
    return subprocess.run([str(installed["pmreport"]), *args], capture_output=True, text=True,
                          cwd=installed["work"], env=env, timeout=300)


def test_the_wheel_carries_the_package_data(installed: dict[str, Path]) -> None:
    names = set(zipfile.ZipFile(installed["wheel"]).namelist())
    schemas = {p.relative_to(ROOT).as_posix() for p in (ROOT / "pmreport" / "data_schemas").rglob("*.yaml")}
    samples = {p.relative_to(ROOT).as_posix() for p in (ROOT / "pmreport" / "sample_data").rglob("*") if p.is_file()}
    assets = {p.relative_to(ROOT).as_posix() for p in (ROOT / "pmreport" / "dashboard" / "assets").iterdir()}
    assert len(schemas) == 15  # 8 sheets of the school's workbook, its optional commentary sheet, export vocabularies, sensitivity classes, 4 of the union return
    assert {"pmreport/sample_data/primary.xlsx", "pmreport/sample_data/secondary.xlsx"} <= samples
    regions = {"pmreport/union/data/local_authorities.csv"}  # England's regions, for union report --region
    union_assets = {"pmreport/union/analysis/dashboard_assets/page.html.j2",
                    "pmreport/union/analysis/dashboard_assets/union-dashboard.js"}  # the union dashboard
    assert schemas | samples | assets | regions | union_assets | {"pmreport/py.typed"} <= names


def test_the_installed_package_is_the_wheel_not_the_checkout(installed: dict[str, Path]) -> None:
    out = subprocess.run([str(installed["python"]), "-c", "import pmreport; print(pmreport.__file__)"],
                         capture_output=True, text=True, cwd=installed["work"], check=True).stdout.strip()
    assert Path(out).resolve().is_relative_to(installed["site"].resolve()), out
    union_stack = subprocess.run([str(installed["python"]), "-c", "import duckdb"], capture_output=True, text=True,
                                 cwd=installed["work"])
    assert union_stack.returncode == 1 and "No module named 'duckdb'" in union_stack.stderr


def test_template_sample_check_and_demo_help_run_from_the_wheel_without_extras(installed: dict[str, Path]) -> None:
    work = installed["work"]
    template = _run(installed, "template", "blank.xlsx")
    assert template.returncode == 0, template.stderr
    assert (work / "blank.xlsx").stat().st_size > 5000

    sample = _run(installed, "sample", "school.xlsx", "--seed", "3")
    assert sample.returncode == 0, sample.stderr
    assert (work / "school.xlsx").is_file() and (work / "school.truth.json").is_file()

    check = _run(installed, "check", "school.xlsx", "--json")  # validates, then runs the policy's rules
    assert check.returncode == 0, check.stdout + check.stderr
    assert json.loads(check.stdout)["rules"], "the rules' results as JSON"

    demo_help = _run(installed, "demo", "--help")
    assert demo_help.returncode == 0 and "bundled" in demo_help.stdout, demo_help.stderr

    # the bundled samples are found inside the installed package: an unknown name lists them
    unknown = _run(installed, "demo", "--sample", "nosuch", "--out", "demo-out")
    assert "primary, secondary, secondary_messy" in unknown.stderr, unknown.stderr
    assert not (work / "demo-out").exists()


def test_without_the_union_extra_a_union_command_says_what_to_install(installed: dict[str, Path]) -> None:
    (installed["work"] / "returns").mkdir()
    result = _run(installed, "union", "ingest", "returns", "--db", "union.duckdb")
    assert result.returncode == 69, result.stdout + result.stderr
    assert 'pip install "pmreport[union]"' in " ".join(result.stderr.split())


def test_demo_writes_the_report_from_the_wheel_without_extras(installed: dict[str, Path]) -> None:
    work = installed["work"]
    demo = _run(installed, "demo", "--sample", "primary", "--out", "demo-out", "--no-pdf")  # demo writes the report
    assert demo.returncode == 0, demo.stdout + demo.stderr
    assert "Demo finished" in demo.stdout
    assert (work / "demo-out" / "governors" / "dashboard.html").is_file()
    assert (work / "demo-out" / "governors" / "governors_report.html").stat().st_size > 10_000
