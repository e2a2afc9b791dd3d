"""The receiver example in docs/api.md works: it accepts the documented message signed with
the documented example secret, once, and refuses a changed body."""

import re
from pathlib import Path

DOC = (Path(__file__).resolve().parents[2] / "docs" / "api.md").read_text(encoding="utf-8")
SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"


def test_documented_receiver_verifies_the_documented_message(monkeypatch):
    section = DOC[re.search(r"## \d+\. Webhooks", DOC).start() :]
    http = re.search(r"```http\n(.*?)```", section, re.S).group(1)
    head, body = http.split("\n\n", 1)
    headers = dict(line.split(": ", 1) for line in head.splitlines()[1:])
    code = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    example = {}
    exec(code.replace('SECRET = "whsec_…"', f'SECRET = "{SECRET}"'), example)
    monkeypatch.setattr(example["time"], "time", lambda: int(headers["webhook-timestamp"]) + 60)

    raw = body.strip().encode()
    assert example["verify"](headers, raw)
    assert not example["verify"](headers, raw.replace(b"1234", b"1235"))
    assert example["handle"](headers, raw) == 204
    assert example["handle"](headers, raw) == 204 and len(example["seen"]) == 1
    assert example["handle"](headers, raw + b" ") == 401
