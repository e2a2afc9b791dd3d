"""scripts/lock.sh --check, as CI runs it, on a copy of pyproject.toml and the lock files: it
passes when they agree and fails, naming the package, when pyproject.toml says something the
locks do not hold. The check resolves against PyPI (uv's cache makes a repeat quick)."""

import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
FILES = ("pyproject.toml", "requirements.lock", "requirements-dev.lock")


def _copy(tmp_path):
    for name in FILES:
        shutil.copy(REPO / name, tmp_path / name)
    return tmp_path / "pyproject.toml"


def _check(folder):
    return subprocess.run(
        ["bash", str(REPO / "scripts" / "lock.sh"), "--check", str(folder)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def _edit(pyproject, old, new):
    text = pyproject.read_text()
    assert old in text
    pyproject.write_text(text.replace(old, new, 1))


def test_lock_check_passes_when_pyproject_and_locks_agree(tmp_path):
    _copy(tmp_path)
    result = _check(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "lock files agree with pyproject.toml" in result.stdout


@pytest.mark.parametrize(
    ("edits", "seen_in_diff"),
    [
        # A dependency added to pyproject.toml but not to the locks.
        ([('    "qrcode>=8",\n', '    "qrcode>=8",\n    "tomli-w>=1.0",\n')], ["+tomli-w=="]),
        # Dependencies dropped from pyproject.toml that the locks still install (stale): one
        # of the runtime, one of the test extra, which only requirements-dev.lock holds.
        (
            [('    "holidays>=0.70",\n', ""), ('    "pyotp>=2.9",\n', "")],
            ["-holidays==", "-pyotp=="],
        ),
        # A range that the locked version no longer satisfies.
        ([('"Django>=5.2,<5.3"', '"Django>=5.1,<5.2"')], ["+django==5.1."]),
    ],
    ids=["added", "removed", "range"],
)
def test_lock_check_fails_when_pyproject_disagrees_with_the_locks(tmp_path, edits, seen_in_diff):
    pyproject = _copy(tmp_path)
    for old, new in edits:
        _edit(pyproject, old, new)
    result = _check(tmp_path)
    assert result.returncode != 0
    for line in seen_in_diff:
        assert line in result.stdout
    assert "pyproject.toml and the lock files disagree" in result.stderr
    # The check works on a copy: the folder it was given is left as it was.
    assert (tmp_path / "requirements.lock").read_bytes() == (
        REPO / "requirements.lock"
    ).read_bytes()


def test_lock_check_fails_when_a_lock_is_missing(tmp_path):
    _copy(tmp_path)
    (tmp_path / "requirements-dev.lock").unlink()
    result = _check(tmp_path)
    assert result.returncode != 0
    assert "requirements-dev.lock is missing" in result.stderr
