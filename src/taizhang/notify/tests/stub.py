"""A local HTTP stub of the WeCom / DingTalk robot endpoints, on 127.0.0.1 only.

Records every request (path, query, decoded JSON body) and answers with the next scripted
reply (default ``200 {"errcode": 0, "errmsg": "ok"}``)."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


class RobotStub:
    def __init__(self):
        self.requests: list[dict] = []
        self.replies: list[tuple[int, dict]] = []
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server API)
                length = int(self.headers.get("Content-Length", "0"))
                raw = self.rfile.read(length)
                parts = urlsplit(self.path)
                stub.requests.append({
                    "path": parts.path,
                    "query": {k: v[0] for k, v in parse_qs(parts.query).items()},
                    "content_type": self.headers.get("Content-Type"),
                    "json": json.loads(raw.decode()),
                })
                status, reply = stub.replies.pop(0) if stub.replies else (200, {"errcode": 0, "errmsg": "ok"})
                body = json.dumps(reply).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)
