"""A webhook receiver on 127.0.0.1, as a shop's system would run one: it checks every
request's signature with the standardwebhooks library and answers as the test asks."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from standardwebhooks import Webhook
from standardwebhooks.webhooks import WebhookVerificationError


@dataclass
class Received:
    message_id: str
    body: dict
    verified: bool
    answered: int | None
    at: float
    wall_at: float = 0.0


@dataclass
class Receiver:
    secret: str = ""
    # What to answer, in turn (the last one for ever): a status code, or "hang" to
    # keep the connection open without answering for ``hang_seconds``.
    answers: list = field(default_factory=lambda: [200])
    hang_seconds: float = 5.0
    requests: list[Received] = field(default_factory=list)
    url: str = ""
    lock: threading.Lock = field(default_factory=threading.Lock)

    def next_answer(self):
        with self.lock:
            answer = self.answers[0]
            if len(self.answers) > 1:
                self.answers.pop(0)
            return answer

    @property
    def delivered(self) -> list[Received]:
        """Requests answered 2xx with a valid signature: what the receiver accepted."""
        return [r for r in self.requests if r.verified and r.answered and r.answered < 300]

    def wait_for(self, count: int, timeout: float = 30) -> list[Received]:
        deadline = time.monotonic() + timeout
        while len(self.requests) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        return self.requests


@contextmanager
def receiver_running(**options) -> Iterator[Receiver]:
    receiver = Receiver(**options)

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):  # quiet
            pass

        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
            try:
                Webhook(receiver.secret).verify(body, dict(self.headers.items()))
                verified = True
            except WebhookVerificationError:
                verified = False
            answer = receiver.next_answer() if verified else 401
            record = Received(
                message_id=self.headers.get("webhook-id", ""),
                body=json.loads(body),
                verified=verified,
                answered=None,
                at=time.monotonic(),
                wall_at=time.time(),
            )
            with receiver.lock:
                receiver.requests.append(record)
            if answer == "hang":
                time.sleep(receiver.hang_seconds)
                return
            record.answered = answer
            self.send_response(answer)
            self.send_header("Content-Type", "text/plain")
            self.end_headers()
            self.wfile.write(b"ok" if answer < 300 else b"nope")

    class Server(ThreadingHTTPServer):
        request_queue_size = 512  # socketserver's 5 refuses connections under load

    server = Server(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    receiver.url = f"http://127.0.0.1:{server.server_port}/hooks?source=helpdesk"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield receiver
    finally:
        server.shutdown()
        server.server_close()


def serve_in_process(connection) -> None:
    """A receiver in a process of its own (the benchmark's, so that it does not share
    the sender's interpreter lock): sends its URL, takes the secret, serves until told
    to stop, then sends back (webhook-id, verified, status, arrival time) per request."""
    with receiver_running() as receiver:
        connection.send(receiver.url)
        receiver.secret = connection.recv()
        connection.recv()  # stop
        connection.send([(r.message_id, r.verified, r.answered, r.wall_at)
                         for r in receiver.requests])  # fmt: skip
