"""Shell scripts under `set -o pipefail` never end a pipeline in `grep -q`.

`grep -q` stops reading at its first match; the writer before it then dies of SIGPIPE (141)
and pipefail turns the match into a failure. That failed the compose smoke test on a web
replica whose log was long enough ("served nothing through the proxy") although it had.
"""

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
EARLY_EXIT = re.compile(r"\|\s*grep\s+(-[A-Za-z]*q[A-Za-z]*|--quiet|--silent)\b")


def _shell_scripts():
    for path in sorted(REPO.rglob("*.sh")):
        if {".venv", "node_modules", ".git"} & set(path.relative_to(REPO).parts):
            continue
        yield path


def test_no_pipeline_ends_in_grep_quiet_under_pipefail():
    findings = []
    for path in _shell_scripts():
        text = path.read_text()
        if "pipefail" not in text:
            continue
        for number, line in enumerate(text.splitlines(), 1):
            if not line.lstrip().startswith("#") and EARLY_EXIT.search(line):
                findings.append(f"{path.relative_to(REPO)}:{number}: {line.strip()}")
    assert not findings, "grep -q after a pipe under pipefail:\n" + "\n".join(findings)


def test_the_pattern_catches_the_forms_that_fail():
    assert EARLY_EXIT.search("docker logs \"$id\" 2>&1 | grep -q '/accounts/login/'")
    assert EARLY_EXIT.search("tail -c +1 f | grep -qE 'x|y'")
    assert not EARLY_EXIT.search('grep -q x "$work/web.log"')
    assert not EARLY_EXIT.search("tail f | grep ' ready' >/dev/null")
