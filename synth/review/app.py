"""The review web app: a Flask app factory and a real server thread for `synth review`."""

from __future__ import annotations

import secrets
import socket
import sqlite3
import threading
from dataclasses import dataclass
from importlib import resources
from typing import Any

from flask import Flask, abort, g, render_template, request
from werkzeug.exceptions import HTTPException
from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from synth.config import Settings
from synth.review import security
from synth.store import Store
from synth.workspace import WorkspaceError, describe_storage_error, read_only_message, workspace_writable
from synth.workspace import open_store as open_workspace_store

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765
ASSETS = {"review.css": "text/css"}  # name -> type; no script: <details> opens citations


def _assets() -> dict[str, bytes]:
    """Static files read once from the package: no URL ever names a file on disk."""
    folder = resources.files("synth.review") / "static"
    return {name: (folder / name).read_bytes() for name in ASSETS}


def create_app(
    settings: Settings,
    *,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    token: str | None = None,
    llm: Any = None,
    reviewer: str | None = None,
) -> Flask:
    """The review app for a workspace. Off loopback a token is required (one is made if not given).

    `llm` judges edited claims; by default the configured one is opened at the first edit.
    `reviewer` names who decides (else `reviewer` in config, SYNTH_REVIEWER, or the OS user).
    """
    from synth.review.decisions import current_reviewer

    if security.is_loopback(host):
        token = None
    elif not token:
        token = security.new_token()
    app = Flask("synth.review", static_folder=None, template_folder="templates", root_path=_root())
    app.secret_key = secrets.token_bytes(32)  # per server start: sessions end with the server
    app.config.update(
        SESSION_COOKIE_NAME=f"synth_review_{port}",  # cookies ignore ports; two servers must not collide
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Strict",
        MAX_CONTENT_LENGTH=256 * 1024,
        SYNTH_SETTINGS=settings,
        REVIEW_TOKEN=token,
        REVIEW_ASSETS=_assets(),
        REVIEW_LLM=llm,
        REVIEW_LLM_LOCK=threading.Lock(),
        REVIEWER=current_reviewer(reviewer, settings.reviewer),
    )
    app.jinja_env.autoescape = True  # every template and string: source text is always data
    app.jinja_env.trim_blocks = app.jinja_env.lstrip_blocks = True
    security.install(app, token=token, bound_host=host)

    from synth.review.routes import bp, template_helpers
    from synth.review import living_routes  # noqa: F401  (adds its routes to bp)

    app.register_blueprint(bp)
    app.jinja_env.globals.update(template_helpers())

    @app.teardown_appcontext
    def _close_store(_exc: BaseException | None) -> None:
        store = g.pop("store", None)
        if store is not None:
            store.close()

    @app.errorhandler(HTTPException)
    def _error(exc: HTTPException):
        return render_template("error.html", code=exc.code, name=exc.name, description=exc.description), exc.code

    @app.before_request
    def _refuse_writes_to_a_read_only_workspace() -> None:
        # Checked before any write: on a read-only database the tables a write would create are
        # temporary, and a decision stored there would look saved and then vanish.
        if request.method == "POST" and not workspace_writable(settings):
            abort(403, description=read_only_message(settings.workspace))

    @app.errorhandler(sqlite3.Error)
    @app.errorhandler(WorkspaceError)
    def _storage_error(exc: Exception):
        line = describe_storage_error(exc, settings.workspace)
        if line is None:
            raise exc
        return render_template("error.html", code=503, name="Storage error", description=line), 503

    return app


def _root() -> str:
    return str(resources.files("synth.review"))


BUSY_TIMEOUT_MS = 60_000


def open_store(settings: Settings) -> Store:
    """The workspace store for one request (SQLite connections stay on the thread that made them)."""
    if "store" not in g:
        g.store = open_workspace_store(settings)  # read-only when the workspace cannot be written
        # A re-run (`synth run`) may hold the write lock for a while: a decision waits for it rather than fail.
        g.store.db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    return g.store


class _QuietHandler(WSGIRequestHandler):
    """No access log on the terminal; errors are still reported."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        pass


@dataclass
class ReviewServer:
    """A running review server; `url` includes the token when one is needed."""

    server: BaseWSGIServer
    thread: threading.Thread
    url: str
    token: str | None

    def stop(self) -> None:
        self.server.shutdown()
        self.thread.join(timeout=5)
        self.server.server_close()


def start_server(app: Flask, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT) -> ReviewServer:
    """Serve `app` on a background thread; port 0 picks a free one. Raises OSError when the port is taken."""
    # Bind here rather than in werkzeug, which prints and exits on a taken port instead of raising.
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host.strip("[]"), port))
        sock.listen(128)
        server = make_server(host, port, app, threaded=True, request_handler=_QuietHandler, fd=sock.fileno())
    bound = server.port
    app.config["SESSION_COOKIE_NAME"] = f"synth_review_{bound}"
    token = app.config["REVIEW_TOKEN"]
    name = f"[{host}]" if ":" in host else host
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else name
    url = f"http://{shown}:{bound}/" + (f"?token={token}" if token else "")
    thread = threading.Thread(target=server.serve_forever, name="synth-review", daemon=True)
    thread.start()
    return ReviewServer(server=server, thread=thread, url=url, token=token)
