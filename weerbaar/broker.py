"""Kombu's file-system transport (the broker of make run), with messages that appear whole.

Kombu creates a message's file and then writes it; the worker lists the folder, moves any
``*.<queue>.msg`` file away and reads it, and can do that between the two steps: it reads
an empty message, fails to decode it, and the task is lost. Here a message is written under
a name the worker does not look at and renamed into place when complete (a rename within
one folder is atomic)."""

import os
import uuid
from time import monotonic

from kombu.exceptions import ChannelError
from kombu.transport import filesystem
from kombu.utils.encoding import str_to_bytes
from kombu.utils.json import dumps

__all__ = ["Channel", "Transport"]


class Channel(filesystem.Channel):
    def _put(self, queue, payload, **kwargs):
        name = f"{round(monotonic() * 1000)}_{uuid.uuid4()}.{queue}.msg"
        final = os.path.join(self.data_folder_out, name)
        # Starts with a dot: its part after the first dot never equals "<queue>.msg".
        partial = os.path.join(self.data_folder_out, f".{name}.partial")
        try:
            with open(partial, "wb") as fh:
                fh.write(str_to_bytes(dumps(payload)))
            os.replace(partial, final)
        except OSError as exc:
            raise ChannelError(f"Cannot add file {final!r} to directory") from exc


class Transport(filesystem.Transport):
    Channel = Channel
