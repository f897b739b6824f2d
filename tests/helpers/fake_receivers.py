"""The outside world of notifications, at the wire: one HTTP server on loopback that plays a webhook
receiver, the Telegram Bot API and a Twilio-compatible SMS gateway, recording every request."""

import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs


@dataclass(frozen=True)
class Request:
    path: str
    headers: dict[str, str]
    body: bytes
    answered: int

    @property
    def form(self) -> dict[str, str]:
        return {name: values[0] for name, values in parse_qs(self.body.decode()).items()}


class FakeReceiver:
    """Answers 200 unless told to answer something else (`status`), e.g. 503 while it is "down"."""

    def __init__(self):
        self.requests: list[Request] = []
        self.status = 200
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05})

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> "FakeReceiver":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()

    def delivered(self) -> list[Request]:
        with self._lock:
            return [request for request in self.requests if 200 <= request.answered < 300]

    def _record(self, *, path: str, headers: dict, body: bytes) -> int:
        with self._lock:
            self.requests.append(Request(path, headers, body, self.status))
            return self.status

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                status = receiver._record(path=self.path, headers=dict(self.headers), body=body)
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b'{"ok": true}')

            def log_message(self, *args) -> None:
                pass

        return Handler
