"""The Celery worker's metrics: its sweeps run in the pool's processes, not in web, so the
worker container answers scrapes itself, on ``METRICS_WORKER_PORT`` (a port the compose
file does not publish), under the same rules as web's endpoint (``access``). The listener
is a thread of the worker's main process; with ``PROMETHEUS_MULTIPROC_DIR`` set it adds up
the values of the pool's processes."""

import threading
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from django.conf import settings

from . import access
from .exposition import CONTENT_TYPE_LATEST, exposition

__all__ = ["app", "start"]


def app(environ, start_response):
    if environ.get("PATH_INFO") != settings.METRICS_PATH or not access.allowed(environ):
        start_response("404 Not Found", [("Content-Type", "text/plain; charset=utf-8")])
        return [b"Not Found\n"]
    # The database gauges come from web's endpoint; reading them twice would double them
    # in a sum over targets.
    body = exposition(database=False)
    start_response(
        "200 OK",
        [
            ("Content-Type", CONTENT_TYPE_LATEST),
            ("Cache-Control", "no-store"),
            ("Content-Length", str(len(body))),
        ],
    )
    return [body]


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):
        """Scrapes every few seconds would fill the worker's log."""


def start(port, host="0.0.0.0"):  # noqa: S104 - inside the container; access decides
    server = make_server(host, port, app, server_class=WSGIServer, handler_class=_QuietHandler)
    thread = threading.Thread(target=server.serve_forever, name="metrics", daemon=True)
    thread.start()
    return server
