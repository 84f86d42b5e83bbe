"""The review server's guards: an access token off loopback, CSRF on every POST, strict headers.

- Bound to a loopback address, the server answers only requests whose Host is a loopback name
  (no DNS-rebinding reads from a web page). Bound anywhere else, every request needs the token
  printed at start: `?token=` once, then an HttpOnly SameSite=Strict cookie.
- State changes only through POST, each carrying the session's CSRF token from a hidden field.
- Every response forbids framing, inline script and sniffing; pages are not cached.
"""

from __future__ import annotations

import ipaddress
import secrets
from urllib.parse import urlencode, urlsplit

from flask import Flask, abort, redirect, request, session

LOOPBACK_NAMES = {"localhost", "127.0.0.1", "::1"}
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "frame-ancestors 'none'; form-action 'self'; base-uri 'none'; object-src 'none'")


def is_loopback(host: str) -> bool:
    """True for 127.0.0.0/8, ::1 and `localhost`; any other name or address needs a token."""
    host = host.strip("[]")
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def new_token() -> str:
    return secrets.token_urlsafe(24)


def csrf_token() -> str:
    """This session's CSRF token, created on first use; templates put it in every form."""
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(32)
    return session["csrf"]


def install(app: Flask, *, token: str | None, bound_host: str) -> None:
    """Register the checks and headers on the app. `token` None means loopback-only access."""
    app.jinja_env.globals["csrf_token"] = csrf_token

    @app.before_request
    def _guard():
        cookie = app.config["SESSION_COOKIE_NAME"] + "_access"
        if token is None:
            name = (urlsplit(f"//{request.host}").hostname or "").lower()
            if name not in LOOPBACK_NAMES and name != bound_host.lower().strip("[]"):
                abort(400, description="this review server answers only on its loopback address")
        else:
            given = request.args.get("token")
            if given is not None and secrets.compare_digest(given, token):
                # Take the token out of the address bar (and history) and keep it in a cookie.
                args = urlencode([(k, v) for k, v in request.args.items(multi=True) if k != "token"])
                target = request.path + (f"?{args}" if args else "")
                response = redirect(target if request.method == "GET" else "/", code=303)
                response.set_cookie(cookie, token, httponly=True, samesite="Strict")
                return response
            if not secrets.compare_digest(request.cookies.get(cookie, ""), token):
                abort(401, description="open the address `synth review` printed, with its ?token=")
        if request.method == "POST" and request.routing_exception is None:  # a 404 or 405 needs no check
            origin = request.headers.get("Origin")
            if origin and origin != "null" and urlsplit(origin).netloc != request.host:
                abort(403, description="cross-origin form posts are refused")
            sent = request.form.get("csrf_token", "")
            expected = session.get("csrf", "")
            if not expected or not secrets.compare_digest(sent, expected):
                abort(400, description="the form's CSRF token is missing or stale: reload the page and try again")

    @app.after_request
    def _headers(response):
        response.headers["Content-Security-Policy"] = CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["Cross-Origin-Opener-Policy"] = "same-origin"
        if response.mimetype == "text/html":
            response.headers["Cache-Control"] = "no-store"
        return response
