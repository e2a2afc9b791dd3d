"""The settings file that make run writes once (var/run.env): mail goes to files (in
var/mail/, as the concurrent-use test reads them), and an older file's console-mail default
is brought up to date without touching its keys."""

import os

import pytest

from .portal import _dev_env


@pytest.fixture
def dev_env():
    return _dev_env()


def test_a_new_run_env_sends_mail_to_files(dev_env, tmp_path):
    path = tmp_path / "run.env"
    dev_env.write_run_env(path)

    lines = dict(line.split("=", 1) for line in path.read_text().splitlines() if "=" in line)
    assert lines["EMAIL_URL"] == "filemail://"
    assert os.stat(path).st_mode & 0o777 == 0o600


def test_an_older_run_env_gets_file_mail_and_keeps_its_keys(dev_env, tmp_path, capsys):
    path = tmp_path / "run.env"
    old = (
        "SECRET_KEY=abc\nFIELD_ENCRYPTION_KEYS=k1:xyz\nEMAIL_URL=consolemail://\n"
        "VAPID_PUBLIC_KEY=pub\nVAPID_PRIVATE_KEY=priv\nSEARCH_INDEX_KEY=sik\n"
    )
    path.write_text(old)
    path.chmod(0o600)

    dev_env.write_run_env(path)

    assert path.read_text() == old.replace("consolemail://", "filemail://")
    assert "updated EMAIL_URL=filemail://" in capsys.readouterr().out
    assert os.stat(path).st_mode & 0o777 == 0o600


def test_a_chosen_mail_setting_stays(dev_env, tmp_path):
    path = tmp_path / "run.env"
    chosen = (
        "SECRET_KEY=abc\nEMAIL_URL=smtp://mail.example:25\nVAPID_PRIVATE_KEY=priv\n"
        "SEARCH_INDEX_KEY=sik\n"
    )
    path.write_text(chosen)

    dev_env.write_run_env(path)

    assert path.read_text() == chosen
