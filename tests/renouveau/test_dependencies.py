"""The locked dependencies (issue 28 item 7): uv.lock holds every group with hashes;
requirements.lock, production's part for pip, is its export (hashed, without the test and demo
groups), and the site's code outside the demo loaders needs nothing from those groups."""

import re
import subprocess
import sys
from pathlib import Path

from tests.subprocesses import ROOT

UV = Path(sys.executable).parent / "uv"  # installed in the virtualenv by `make install`
DEMO_AND_TEST_PACKAGES = {"fpdf2", "font-source-sans-pro", "pytest", "moto", "hypothesis"}
DEMO_AND_TEST_IMPORTS = re.compile(
    r"^\s*(?:from|import) (fpdf|font_source_sans_pro|pytest|moto|hypothesis|factory)\b", re.M
)
APPS = [
    "site",
    "cites_pages",
    "documents",
    "newsletter",
    "mailing",
    "webinar_registrations",
    "works",
    "search",
]


def locked_packages(text: str) -> dict[str, list[str]]:
    """Package name → the lines of its entry (its pin and its hashes)."""
    packages: dict[str, list[str]] = {}
    name = ""
    for line in text.splitlines():
        if re.match(r"^[A-Za-z0-9]", line):
            name = re.split(r"[=\[ ;]", line, maxsplit=1)[0].lower()
            packages[name] = [line]
        elif name and line.strip():
            packages[name].append(line)
    return packages


def test_requirements_lock_is_the_hashed_export_of_uv_lock():
    exported = subprocess.run(
        [UV, "export", "--frozen", "--no-default-groups", "--no-emit-project"]
        + ["--format", "requirements-txt", "--quiet"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    written = (ROOT / "requirements.lock").read_text()
    assert locked_packages(written) == locked_packages(exported), "run `make lock`"
    for name, entry in locked_packages(written).items():
        assert any("--hash=sha256:" in line for line in entry), f"{name} has no hash"


def test_production_installs_neither_the_demo_nor_the_test_packages():
    production = set(locked_packages((ROOT / "requirements.lock").read_text()))
    assert "wagtail" in production and "gunicorn" in production
    assert not production & DEMO_AND_TEST_PACKAGES


def test_only_the_demo_loaders_import_the_demo_packages():
    offenders = []
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if path.stem in {"demo", "demo_legal"} or "migrations" in path.parts:
                continue
            if DEMO_AND_TEST_IMPORTS.search(path.read_text()):
                offenders.append(str(path.relative_to(ROOT)))
    assert not offenders
