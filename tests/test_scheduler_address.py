"""``--scheduler`` with a scheme Dask cannot serve is refused at once (issue 26): it printed a clean
error, then waited 30 s for a half-built Dask client and ended in a traceback."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest


@pytest.mark.parametrize("address", ["http://127.0.0.1:9/", "file:///etc/passwd", "ws://127.0.0.1:9"])
def test_a_scheduler_address_of_another_scheme_is_refused_at_once(address):
    t0 = time.monotonic()
    res = subprocess.run([sys.executable, "-m", "ruralsim.cli", "sweep", "monitoring", "--households", "100",
                          "--replicates", "1", "--months", "3", "--quiet", "--scheduler", address],
                         capture_output=True, text=True, timeout=120)
    assert res.returncode == 2, res.stderr
    assert "is not one of tcp, tls" in res.stderr and address in res.stderr
    assert "Traceback" not in res.stderr and "Exception ignored" not in res.stderr
    assert time.monotonic() - t0 < 25  # the interpreter starts in a few seconds; the hang was 30 s more
