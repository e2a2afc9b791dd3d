"""A real SMTP server on loopback for outbox tests (aiosmtpd in a thread of the test)."""

import email
from email.policy import default as default_policy

from aiosmtpd.controller import Controller

from tests.security.services import free_port


class Recorder:
    """Keeps every message the server accepted, parsed."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        parsed = email.message_from_bytes(envelope.content, policy=default_policy)
        self.messages.append(parsed)
        return "250 Message accepted for delivery"

    @property
    def message_ids(self):
        return [m["Message-ID"] for m in self.messages]


class LoopbackSMTP:
    def __init__(self):
        self.recorder = Recorder()
        self.port = free_port()
        self.controller = Controller(self.recorder, hostname="127.0.0.1", port=self.port)

    def __enter__(self):
        self.controller.start()
        return self

    def __exit__(self, *exc):
        self.controller.stop()

    @property
    def messages(self):
        return self.recorder.messages

    @property
    def message_ids(self):
        return self.recorder.message_ids

    def configure(self, settings):
        """Point Django's SMTP backend (``settings`` is pytest-django's fixture) here."""
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", self.port, 5
        settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
