"""Serve the page with a threaded local web server, and stop its worker processes on exit."""

from __future__ import annotations

import logging
import sys
from typing import TextIO

from .guard import needs_token, new_token
from .page import AppSettings, create_app
from .runs import RunManager


def serve(settings: AppSettings, host: str, port: int, out: TextIO) -> int:
    """Build the page and serve it until interrupted. ``port`` 0 picks a free port; the address is
    printed as ``ruralsim app: serving http://HOST:PORT/`` (tests read that line), with ``?token=...``
    when other computers can reach the page (see :mod:`.guard`)."""
    from werkzeug.serving import WSGIRequestHandler, make_server

    class Handler(WSGIRequestHandler):
        def version_string(self) -> str:  # no Werkzeug or Python version in the Server header
            return "ruralsim"

    token = new_token() if needs_token(host) else None
    manager = RunManager(settings.workers)
    try:
        app = create_app(settings, manager, host=host, token=token)
        logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no line per poll request
        try:
            server = make_server(host, port, app.server, threaded=True, request_handler=Handler)
        except (OSError, SystemExit) as err:  # port taken (werkzeug says why, then exits), bad address
            why = f": {err.strerror or err}" if isinstance(err, OSError) else ""
            print(f"ruralsim app: error: cannot listen on {host}:{port}{why}; choose another --port or --host",
                  file=sys.stderr)
            return 2
        manager.warm_up()
        if token:
            print(f"ruralsim app: listening on {host}: other computers on the network can reach this page; "
                  "it answers only with the token below (keep the address private)", file=out, flush=True)
        shown = f"[{host}]" if ":" in host else host
        query = f"?token={token}" if token else ""
        print(f"ruralsim app: serving http://{shown}:{server.server_port}/{query} (Ctrl+C to stop)", file=out,
              flush=True)
        server.serve_forever()
    finally:
        manager.close()
    return 0
