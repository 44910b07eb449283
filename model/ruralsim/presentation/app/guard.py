"""Who may use the page, and what every answer says about the server.

* ``Host`` check: a request must name the address the page serves (the ``--host`` value, or a
  loopback name), so a web site that rebinds its own DNS name to 127.0.0.1 (DNS rebinding) cannot
  drive the page from the user's browser. With a wildcard ``--host`` (``0.0.0.0``, ``::``) any name
  may reach the machine, so the check cannot list them; the token below protects instead.
* token: with any ``--host`` other than loopback, a random token is printed at start (as Jupyter
  does); the first visit gives it as ``?token=...``, the page stores it in an HttpOnly, SameSite=Strict
  cookie and drops it from the address; every request without it gets 403.
* session: every browser gets its own :class:`~.sessions.Session` (see there), found from its cookie.
* headers: no server or Python version (``Server: ruralsim``; ``_dash-config`` without the Python
  version); ``nosniff``, no framing, no referrer.
"""

from __future__ import annotations

import hmac
import secrets

from flask import Flask, Response, g, redirect, request

from .sessions import COOKIE, Sessions

LOOPBACK_NAMES = ("127.0.0.1", "localhost", "::1")
WILDCARDS = ("0.0.0.0", "::", "")
TOKEN_COOKIE = "ruralsim_token"
HEADERS = {"X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY", "Referrer-Policy": "no-referrer"}


def is_loopback(host: str) -> bool:
    return host.lower() in LOOPBACK_NAMES or host.startswith("127.")


def allowed_hosts(host: str) -> set[str] | None:
    """Names a request's ``Host`` may carry for a server listening on ``host``; None: any (wildcard)."""
    if host in WILDCARDS:
        return None
    return {*LOOPBACK_NAMES, host.lower().strip("[]")}


def needs_token(host: str) -> bool:
    """A token is required whenever other computers can reach the page."""
    return not is_loopback(host)


def new_token() -> str:
    return secrets.token_urlsafe(24)


def host_name(header: str) -> str:
    """The name of a ``Host`` header without its port (``[::1]:8765`` -> ``::1``)."""
    header = header.strip().lower()
    if header.startswith("["):
        return header[1:header.find("]")] if "]" in header else header
    return header.rsplit(":", 1)[0] if header.count(":") == 1 else header


def protect(server: Flask, sessions: Sessions, hosts: set[str] | None, token: str | None) -> None:
    """Install the checks of this module on the page's Flask server."""

    @server.before_request
    def check():
        if hosts is not None and host_name(request.headers.get("Host", "")) not in hosts:
            return Response("ruralsim app: this address is not served here (Host header refused)\n", 403,
                            mimetype="text/plain")
        if token:
            given = request.args.get("token")
            if isinstance(given, str) and hmac.compare_digest(given.encode(), token.encode()):
                answer = redirect(request.path)  # the token leaves the address bar and the history
                answer.set_cookie(TOKEN_COOKIE, token, httponly=True, samesite="Strict")
                return answer
            kept = request.cookies.get(TOKEN_COOKIE, "")
            if not hmac.compare_digest(kept.encode(), token.encode()):
                return Response("ruralsim app: open the address with the token that `ruralsim app` printed "
                                "at start (…/?token=…)\n", 403, mimetype="text/plain")
        g.sessions = sessions
        g.session = sessions.get(request.cookies.get(COOKIE))
        g.new_session = False
        if request.path == "/":
            current_session()  # the page itself: its cookie is set before any callback runs

    @server.after_request
    def headers(response: Response) -> Response:
        for key, value in HEADERS.items():
            response.headers.setdefault(key, value)
        if getattr(g, "new_session", False):
            response.set_cookie(COOKIE, g.session.id, httponly=True, samesite="Strict")
        return response


def current_session(create: bool = True):
    """The session of the request being answered; a new one (its cookie set on the answer) when the
    browser has none yet and ``create``."""
    if g.session is None and create:
        g.session = g.sessions.new()
        g.new_session = True
    return g.session
