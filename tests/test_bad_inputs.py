"""Each bad input of tests/bad_inputs.py ends in one clear message and its exit code, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

from bad_inputs import CASES, Case, Sparse

CLI = [sys.executable, "-m", "ruralsim.cli"]


def materialise(case: Case, tmp) -> None:
    for rel, content in case.files.items():
        path = tmp / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, Sparse):
            with open(path, "wb") as fh:
                fh.truncate(content.size)
        elif isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content.replace("{tmp}", str(tmp)), encoding="utf-8")


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input_is_refused_cleanly(case: Case, tmp_path):
    proj = tmp_path / "proj"
    proj.mkdir()
    materialise(case, tmp_path)
    args = [a.replace("{tmp}", str(tmp_path)) for a in case.args]
    t0 = time.perf_counter()
    res = subprocess.run([*CLI, *args], capture_output=True, text=True, cwd=proj, timeout=300,
                         env={**os.environ, "RURALSIM_THREADS": "1"})
    seconds = time.perf_counter() - t0
    out = res.stdout + res.stderr
    assert res.returncode == case.code, out[-3000:]
    assert "Traceback" not in out, out[-3000:]
    for text in case.says:
        assert text in res.stderr, res.stderr[-3000:]
    for text in case.never:
        assert text not in out
    assert len(out) < 20_000  # a capped message, whatever the input
    assert seconds < 120  # refused before any simulation
