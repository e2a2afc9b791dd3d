"""A webhook receiver on loopback for tests: a real HTTP server in a thread that keeps
every request (headers and body) and answers with the status codes it is told to, one per
request (then 200). ``hold()`` makes it keep the next request open, without answering,
until ``release()``: a delivery in flight."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Receiver:
    def __init__(self):
        self.requests = []  # (path, headers as a dict with lower-case names, body bytes)
        self.answers = []
        self.arrived = threading.Event()
        self._held = None
        self._lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server.server_port}/hook"

    def answer(self, *codes):
        self.answers.extend(codes)

    def hold(self):
        self._held = threading.Event()

    def release(self):
        if self._held is not None:
            self._held.set()
            self._held = None

    def _handler(self):
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                body = self.rfile.read(length)
                with receiver._lock:
                    receiver.requests.append(
                        (self.path, {k.lower(): v for k, v in self.headers.items()}, body)
                    )
                    code = receiver.answers.pop(0) if receiver.answers else 200
                    held = receiver._held
                receiver.arrived.set()
                if held is not None:
                    held.wait(30)
                self.send_response(code)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format, *args):
                pass

        return Handler

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.release()
        self.server.shutdown()
        self.server.server_close()
