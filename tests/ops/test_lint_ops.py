"""scripts/lint_ops.sh, as CI runs it: the checkout's compose files and Dockerfile have no
findings, and a compose file that breaks the Compose schema or a Dockerfile with a hadolint
finding makes it fail, naming the file and the rule."""

import shutil
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def _lint(folder):
    return subprocess.run(
        ["bash", str(REPO / "scripts" / "lint_ops.sh"), str(folder)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_checkout_deployment_files_have_no_findings():
    result = _lint(REPO)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "docker-compose.yml" in result.stdout
    assert "hadolint: Dockerfile" in result.stdout


def test_compose_file_outside_the_compose_schema_fails(tmp_path):
    shutil.copy(REPO / "docker-compose.yml", tmp_path / "docker-compose.yml")
    (tmp_path / "compose.dev.yml").write_text("services:\n  mail:\n    image: m\n    ports: 8025\n")
    result = _lint(tmp_path)
    assert result.returncode != 0
    assert "compose.dev.yml::$.services.mail.ports" in result.stdout


def test_dockerfile_with_a_hadolint_finding_fails(tmp_path):
    text = (REPO / "Dockerfile").read_text()
    # The numeric USER is what hadolint asks for (DL3066); the account name is not.
    assert "USER 10001:10001" in text
    (tmp_path / "Dockerfile").write_text(text.replace("USER 10001:10001", "USER weerbaar"))
    result = _lint(tmp_path)
    assert result.returncode != 0
    assert "DL3066" in result.stdout
