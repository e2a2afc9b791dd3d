"""The file-system broker of make run: a worker that looks at the folder while a message is
being written does not see it, and gets it whole afterwards. (With kombu's own transport
it reads the empty file and fails with a JSONDecodeError; the task is lost.)"""

from queue import Empty

import pytest
from kombu import Connection

from weerbaar import broker

TRANSPORT, MODULE = "weerbaar.broker:Transport", broker


@pytest.fixture
def channel(tmp_path):
    folders = {
        "data_folder_in": str(tmp_path),
        "data_folder_out": str(tmp_path),
        "processed_folder": str(tmp_path / "processed"),
        "control_folder": str(tmp_path / "control"),
        "store_processed": False,
    }
    with Connection(
        "filesystem://localhost//", transport=TRANSPORT, transport_options=folders
    ) as c:
        yield c.default_channel


def test_a_message_being_written_is_not_read_and_is_read_whole_afterwards(channel, monkeypatch):
    payload = {"body": "e30=", "headers": {"task": "weerbaar.tasks.deliver_notifications"}}
    during = []
    serialise = MODULE.dumps

    def dumps_while_the_worker_looks(value):
        # The file of the message exists from here on; the worker looks at the folder now.
        try:
            during.append(channel._get("celery"))
        except Empty:
            during.append("nothing")
        return serialise(value)

    monkeypatch.setattr(MODULE, "dumps", dumps_while_the_worker_looks)
    channel._put("celery", payload)

    assert during == ["nothing"]
    assert channel._get("celery") == payload
    with pytest.raises(Empty):
        channel._get("celery")
