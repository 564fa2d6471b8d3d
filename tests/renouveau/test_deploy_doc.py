"""DEPLOY.md says what the code does: the environment variables it names are the ones the code
reads, and the jobs it lists are the ones the scheduler runs (issue 27: it named
NEWSLETTER_MAX_SEND_RATE, which nothing read, and 4 of 9 jobs)."""

import re

from renouveau.scheduler import discover_jobs
from tests.subprocesses import ROOT

# How the code reads a variable: os.environ, the settings' helpers, mailing's `setting()` (the
# Django setting, else the environment) and the scheduler's `interval()` (likewise).
READS = re.compile(
    r"(?:os\.environ\.get|os\.getenv|env_bool|env_list|(?<![\w.])setting|(?<![\w.])interval)"
    r'\(\s*"([A-Z][A-Z0-9_]+)"|os\.environ\[\s*"([A-Z][A-Z0-9_]+)"\s*\]'
)
SKIPPED = {".venv", "node_modules", "tests", "bench", "build"}


def read_by_the_code() -> set[str]:
    names: set[str] = set()
    for path in ROOT.rglob("*.py"):
        parts = path.relative_to(ROOT).parts
        if parts[0] in SKIPPED or "migrations" in parts:
            continue
        names |= {a or b for a, b in READS.findall(path.read_text())}
    names |= set(re.findall(r"\$\{([A-Z][A-Z0-9_]+)", (ROOT / "Procfile").read_text()))
    return names


def section(title: str) -> str:
    text = (ROOT / "DEPLOY.md").read_text()
    start = text.index(f"\n## {title}")
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else None]


def first_cells(markdown: str) -> set[str]:
    """The backticked names in the first cell of each table row."""
    cells = [line.split("|")[1] for line in markdown.splitlines() if line.startswith("| `")]
    return {name for cell in cells for name in re.findall(r"`([^`]+)`", cell)}


def test_the_variables_deploy_md_names_are_the_ones_the_code_reads():
    named = first_cells(section("Environment variables"))
    code = read_by_the_code()
    assert not named - code, f"named in DEPLOY.md, read by nothing: {sorted(named - code)}"
    assert not code - named, f"read by the code, missing from DEPLOY.md: {sorted(code - named)}"


def test_the_jobs_deploy_md_lists_are_the_ones_scheduled():
    listed = first_cells(section("Scheduler"))
    scheduled = {job.name for job in discover_jobs()}
    assert listed == scheduled, (
        f"missing from DEPLOY.md: {sorted(scheduled - listed)}; "
        f"not scheduled: {sorted(listed - scheduled)}"
    )


def test_deploy_md_names_the_procfile_processes():
    processes = set(re.findall(r"^(\w+):", (ROOT / "Procfile").read_text(), re.M))
    assert processes == {"release", "web", "worker", "scheduler"}
    assert first_cells(section("Processes")) >= processes
