"""Serve the page with a threaded local web server, and stop its worker processes on exit."""

from __future__ import annotations

import logging
import sys
from typing import TextIO

from .page import AppSettings, create_app
from .runs import RunManager

LOOPBACK = ("127.0.0.1", "localhost", "::1")


def serve(settings: AppSettings, host: str, port: int, out: TextIO) -> int:
    """Build the page and serve it until interrupted. ``port`` 0 picks a free port; the address is
    printed as ``ruralsim app: serving http://HOST:PORT/`` (tests read that line)."""
    from werkzeug.serving import make_server

    manager = RunManager(settings.workers)
    try:
        app = create_app(settings, manager)
        logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no line per poll request
        try:
            server = make_server(host, port, app.server, threaded=True)
        except (OSError, SystemExit) as err:  # port taken (werkzeug says why, then exits), bad address
            why = f": {err.strerror or err}" if isinstance(err, OSError) else ""
            print(f"ruralsim app: error: cannot listen on {host}:{port}{why}; choose another --port or --host",
                  file=sys.stderr)
            return 2
        manager.warm_up()
        if host not in LOOPBACK:
            print(f"ruralsim app: listening on {host}: other computers on the network can reach this page",
                  file=out, flush=True)
        shown = f"[{host}]" if ":" in host else host
        print(f"ruralsim app: serving http://{shown}:{server.server_port}/ (Ctrl+C to stop)", file=out, flush=True)
        server.serve_forever()
    finally:
        manager.close()
    return 0
