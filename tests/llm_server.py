"""A small OpenAI-protocol server on 127.0.0.1 for tests: POST /v1/chat/completions, GET /v1/models.

Replies are scripted in order (`reply`, `fail`); every request is recorded in `requests`.
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class OpenAIStub:
    def __init__(self) -> None:
        self.script: list[dict[str, Any]] = []
        self.requests: list[dict[str, Any]] = []
        self.lock = threading.Lock()
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:  # keep test output clean
                pass

            def _send(self, status: int, body: dict, headers: dict[str, str] | None = None) -> None:
                data = json.dumps(body).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    for k, v in (headers or {}).items():
                        self.send_header(k, v)
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (timeout test)

            def do_GET(self) -> None:
                if self.path.rstrip("/").endswith("/v1/models"):
                    self._send(200, {"object": "list", "data": [{"id": "test-model", "object": "model"}]})
                else:
                    self._send(404, {"error": {"message": "not found"}})

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", 0))
                body = json.loads(self.rfile.read(length) or b"{}")
                with stub.lock:
                    stub.requests.append({"path": self.path, "body": body, "at": time.monotonic()})
                    action = stub.script.pop(0) if stub.script else None
                if not self.path.rstrip("/").endswith("/chat/completions"):
                    return self._send(404, {"error": {"message": "not found"}})
                if action is None:
                    return self._send(500, {"error": {"message": "no scripted reply left", "type": "server_error"}})
                time.sleep(action.get("delay", 0))
                if action["status"] != 200:
                    error = {"error": {"message": action.get("message", "scripted error"), "type": "scripted"}}
                    return self._send(action["status"], error, action.get("headers"))
                prompt, completion = action.get("usage", (11, 7))
                self._send(200, {
                    "id": f"chatcmpl-{len(stub.requests)}", "object": "chat.completion", "created": 0,
                    "model": body.get("model", "test-model"),
                    "choices": [{"index": 0, "finish_reason": "stop",
                                 "message": {"role": "assistant", "content": action["content"]}}],
                    "usage": {"prompt_tokens": prompt, "completion_tokens": completion,
                              "total_tokens": prompt + completion},
                })

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/v1"

    @property
    def hits(self) -> int:
        return len(self.requests)

    def reply(self, content: Any, *, delay: float = 0.0, usage: tuple[int, int] = (11, 7)) -> "OpenAIStub":
        text = content if isinstance(content, str) else json.dumps(content)
        self.script.append({"status": 200, "content": text, "delay": delay, "usage": usage})
        return self

    def fail(self, status: int, message: str = "scripted error", headers: dict[str, str] | None = None) -> "OpenAIStub":
        self.script.append({"status": status, "message": message, "headers": headers or {}})
        return self

    def messages(self, i: int = -1) -> list[dict[str, str]]:
        return self.requests[i]["body"]["messages"]

    def start(self) -> "OpenAIStub":
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
