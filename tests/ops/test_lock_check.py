"""scripts/lock.sh --check, as CI runs it, on a copy of pyproject.toml and the lock files: it
passes when they agree and fails, naming the package, when pyproject.toml says something the
locks do not hold, or a lock holds a hash PyPI does not give or a pin without hashes. The check
resolves from uv's cache and, when that differs, against PyPI."""

import shutil
import subprocess
from pathlib import Path

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


def _hash_lines(lock, pin):
    """The --hash lines that follow PIN (name==version) in LOCK."""
    lines = lock.read_text().splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(pin + " "))
    hashes = []
    for line in lines[start + 1 :]:
        if not line.lstrip().startswith("--hash="):
            break
        hashes.append(line)
    return hashes


def test_lock_check_passes_when_pyproject_and_locks_agree(tmp_path):
    _copy(tmp_path)
    # A file PyPI added to a locked release after the lock was written (here: a hash the
    # committed lock lacks) is no disagreement.
    lock = tmp_path / "requirements.lock"
    first = _hash_lines(lock, "django==5.2.20")[0]
    lock.write_text(lock.read_text().replace(first + "\n", "", 1))
    result = _check(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "lock files agree with pyproject.toml" in result.stdout


def test_lock_check_fails_on_a_hash_pypi_does_not_have(tmp_path):
    _copy(tmp_path)
    lock = tmp_path / "requirements.lock"
    first = _hash_lines(lock, "django==5.2.20")[0]
    forged = first.split("sha256:")[0] + "sha256:" + "0" * 64 + " \\"
    lock.write_text(lock.read_text().replace(first, forged, 1))
    result = _check(tmp_path)
    assert result.returncode != 0
    assert "django==5.2.20 sha256:" + "0" * 64 in result.stderr
    assert "PyPI has no file with the hashes above" in result.stderr


def test_lock_check_fails_on_a_pin_without_hashes(tmp_path):
    _copy(tmp_path)
    lock = tmp_path / "requirements-dev.lock"
    text = lock.read_text()
    for line in _hash_lines(lock, "pyotp==2.12.1"):
        text = text.replace(line + "\n", "", 1)
    lock.write_text(text.replace("pyotp==2.12.1 \\\n", "pyotp==2.12.1\n", 1))
    result = _check(tmp_path)
    assert result.returncode != 0
    assert "pyotp==2.12.1" in result.stderr
    assert "have no hashes" in result.stderr


def test_lock_check_fails_when_pyproject_disagrees_with_the_locks(tmp_path):
    """Each kind of disagreement shows as its own line of the diff (one run: each costs a
    resolution against PyPI)."""
    pyproject = _copy(tmp_path)
    # A dependency added to pyproject.toml but not to the locks.
    _edit(pyproject, '    "qrcode>=8",\n', '    "qrcode>=8",\n    "tomli-w>=1.0",\n')
    # Dependencies dropped from pyproject.toml that the locks still install (stale): one of the
    # runtime, one of the test extra, which only requirements-dev.lock holds.
    _edit(pyproject, '    "holidays>=0.70",\n', "")
    _edit(pyproject, '    "pyotp>=2.9",\n', "")
    # A range that the locked version no longer satisfies.
    _edit(pyproject, '"Django>=5.2,<5.3"', '"Django>=5.1,<5.2"')
    result = _check(tmp_path)
    assert result.returncode != 0
    for line in ("+tomli-w==", "-holidays==", "-pyotp==", "-django==5.2.20", "+django==5.1."):
        assert line in result.stdout
    assert "pyproject.toml and the lock files disagree" in result.stderr
    # The check works on a copy: the folder it was given is left as it was.
    for name in FILES[1:]:
        assert (tmp_path / name).read_bytes() == (REPO / name).read_bytes()


def test_lock_check_fails_when_a_lock_is_missing(tmp_path):
    _copy(tmp_path)
    (tmp_path / "requirements-dev.lock").unlink()
    result = _check(tmp_path)
    assert result.returncode != 0
    assert "requirements-dev.lock is missing" in result.stderr
