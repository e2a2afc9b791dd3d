"""The encrypted backup stream and the retention rule, without a database: a file reads back
as written over many chunks, and every kind of change is refused with a message that says
which; retention keeps one backup per recent day and week."""

import io
import os

import pytest

from weerbaar.backups import stream
from weerbaar.backups.create import backup_key
from weerbaar.backups.retention import to_delete
from weerbaar.backups.stream import (
    BackupKeyError,
    DecryptingReader,
    EncryptingWriter,
    TamperedError,
    parse_keys,
)
from weerbaar.crypto import generate_key


@pytest.fixture(autouse=True)
def _small_chunks(monkeypatch):
    monkeypatch.setattr(stream, "CHUNK", 64)


def _seal(data, key):
    raw = io.BytesIO()
    writer = EncryptingWriter(raw, key)
    for start in range(0, len(data), 50):
        writer.write(data[start : start + 50])
    writer.close()
    return raw.getvalue()


def _open(blob, keys):
    return DecryptingReader(io.BytesIO(blob), keys).read()


@pytest.mark.parametrize("size", [0, 1, 64, 128, 1000])
def test_what_is_written_reads_back_whatever_its_size(size):
    key = parse_keys(generate_key())[0]
    data = os.urandom(size)
    blob = _seal(data, key)
    if size >= 16:
        assert data[:16] not in blob
    assert _open(blob, [key]) == data


def test_one_flipped_byte_is_refused():
    key = parse_keys(generate_key())[0]
    blob = bytearray(_seal(os.urandom(500), key))
    blob[len(blob) // 2] ^= 0x80
    with pytest.raises(TamperedError, match="beschadigd of gewijzigd"):
        _open(bytes(blob), [key])


def test_a_file_cut_off_at_a_chunk_boundary_is_refused():
    key = parse_keys(generate_key())[0]
    blob = _seal(os.urandom(500), key)
    cut = stream.HEADER + 3 * (64 + stream.TAG)
    with pytest.raises(TamperedError, match="het einde ontbreekt"):
        _open(blob[:cut], [key])


def test_swapped_chunks_are_refused():
    key = parse_keys(generate_key())[0]
    blob = _seal(os.urandom(500), key)
    record = 64 + stream.TAG
    first, second = stream.HEADER, stream.HEADER + record
    swapped = (
        blob[:first] + blob[second : second + record] + blob[first:second] + blob[second + record :]
    )
    with pytest.raises(TamperedError):
        _open(swapped, [key])


def test_another_key_is_named_as_such_not_as_damage():
    blob = _seal(b"x" * 100, parse_keys(generate_key())[0])
    with pytest.raises(BackupKeyError, match="andere sleutel"):
        _open(blob, parse_keys(generate_key()))


def test_a_file_that_is_no_backup_is_refused():
    with pytest.raises(TamperedError, match="geen back-upbestand"):
        _open(b"PGDMP" + os.urandom(100), parse_keys(generate_key()))


def test_no_backup_without_a_key_of_its_own():
    with pytest.raises(BackupKeyError, match="niet gezet"):
        parse_keys("")
    with pytest.raises(BackupKeyError, match="32 bytes"):
        parse_keys("c2hvcnQ=")


def test_the_backup_key_may_not_be_a_field_or_search_key(settings):
    settings.BACKUP_ENCRYPTION_KEY = settings.FIELD_ENCRYPTION_KEYS[1].partition(":")[2]
    with pytest.raises(BackupKeyError, match="eigen sleutel"):
        backup_key()
    settings.BACKUP_ENCRYPTION_KEY = settings.SEARCH_INDEX_KEY
    with pytest.raises(BackupKeyError, match="eigen sleutel"):
        backup_key()
    settings.BACKUP_ENCRYPTION_KEY = generate_key()
    assert len(backup_key()) == 32


def _name(stamp):
    return f"weerbaar-{stamp}.wbbackup"


def test_retention_keeps_the_newest_of_each_recent_day_and_week():
    names = [
        _name("20261207T020000Z"),  # Monday, week 50: newest
        _name("20261206T020000Z"),  # Sunday, week 49
        _name("20261206T010000Z"),  # an earlier one that Sunday
        _name("20261205T020000Z"),  # Saturday, week 49
        _name("20261129T020000Z"),  # Sunday, week 48
        _name("20261122T020000Z"),  # Sunday, week 47
        _name("20261115T020000Z"),  # Sunday, week 46
        "weerbaar-handmatig.wbbackup",  # not named by the command: left alone
    ]
    gone = to_delete(names, daily=2, weekly=3)
    assert gone == [
        _name("20261115T020000Z"),
        _name("20261122T020000Z"),
        _name("20261205T020000Z"),
        _name("20261206T010000Z"),
    ]


def test_retention_always_keeps_the_newest_backup():
    assert to_delete([_name("20261207T020000Z")], daily=0, weekly=0) == []
