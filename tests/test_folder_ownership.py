"""Results folders own only what they wrote (issue 26): the manifest lists every file and folder a
command wrote; a rerun removes exactly those and refuses while anything else is there (unless --force,
which keeps it); a manifest.json that is not ruralsim's is foreign; links are never followed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

CLI = [sys.executable, "-m", "ruralsim.cli"]
SMALL = ["--households", "100", "--months", "3", "--replicates", "1", "--quiet"]
ENV = {**os.environ, "RURALSIM_THREADS": "1"}


def ruralsim(*args, cwd=None):
    return subprocess.run([*CLI, *map(str, args)], capture_output=True, text=True, cwd=cwd, timeout=600, env=ENV)


def snapshot(folder: Path) -> dict[str, bytes | str]:
    """Every entry under ``folder`` with its bytes (files) or link target (links), links not followed."""
    out: dict[str, bytes | str] = {}
    for root, dirs, files in os.walk(folder):
        for name in dirs + files:
            p = Path(root) / name
            rel = p.relative_to(folder).as_posix()
            out[rel] = ("link:" + os.readlink(p)) if p.is_symlink() else (p.read_bytes() if p.is_file() else "dir")
    return out


@pytest.fixture(scope="module")
def first_run(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("own") / "r"
    res = ruralsim("run", "baseline", *SMALL, "--out", out)
    assert res.returncode == 0, res.stderr
    return out


def test_the_manifest_lists_every_file_and_folder_the_run_wrote(first_run):
    manifest = json.loads((first_run / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["schema"].startswith("ruralsim.")
    on_disk = sorted(set(snapshot(first_run)) - {".ruralsim.lock"})  # the lock is always ruralsim's
    assert sorted(manifest["written"]) == on_disk
    assert {"manifest.json", "summary.csv", "plots", "report.html", "report.md", "data_dictionary.csv"} <= set(
        manifest["written"])


def test_a_rerun_with_user_files_added_refuses_and_keeps_them_then_force_keeps_them_too(first_run, tmp_path):
    import shutil

    out = tmp_path / "r"
    shutil.copytree(first_run, out)
    (out / "NOTES.txt").write_text("my notes")
    (out / "my_analysis").mkdir()
    (out / "my_analysis" / "fit.py").write_text("print(1)")
    (out / "plots" / "mine.png").write_bytes(b"my figure")
    before = snapshot(out)
    res = ruralsim("run", "baseline", *SMALL, "--out", out)
    assert res.returncode == 2 and "Traceback" not in res.stderr
    assert str(out) in res.stderr
    for name in ("NOTES.txt", "my_analysis", "plots/mine.png"):
        assert name in res.stderr
    assert "my_analysis/fit.py" not in res.stderr  # the top-most foreign entry is named
    assert snapshot(out) == before  # nothing touched

    # An entry the earlier run listed but the new one does not write is removed; the user's stay.
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    manifest["written"].append("old_table.csv")
    (out / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    (out / "old_table.csv").write_text("stale")
    res = ruralsim("run", "baseline", *SMALL, "--seed", 5, "--out", out, "--force")
    assert res.returncode == 0, res.stderr
    assert not (out / "old_table.csv").exists() and not (out / "INCOMPLETE.txt").exists()
    assert (out / "NOTES.txt").read_text() == "my notes" and (out / "my_analysis" / "fit.py").read_text() == "print(1)"
    assert (out / "plots" / "mine.png").read_bytes() == b"my figure"
    written = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["written"]
    assert "NOTES.txt" not in written and "plots/mine.png" not in written and "my_analysis" not in written
    assert "summary.csv" in written and "plots" in written


def test_a_folder_with_a_foreign_manifest_is_refused_and_untouched(tmp_path):
    ext = tmp_path / "webext"
    (ext / "icons").mkdir(parents=True)
    (ext / "manifest.json").write_text('{"manifest_version": 3, "name": "my extension", "kind": "run"}')
    (ext / "background.js").write_text("chrome.runtime.onInstalled.addListener(() => {});")
    (ext / "icons" / "48.png").write_bytes(b"\x89PNG icon")
    before = snapshot(ext)
    for args in (("run", "baseline", *SMALL), ("compare", "baseline", "cliff_exit", *SMALL)):
        res = ruralsim(*args, "--out", ext)
        assert res.returncode == 2 and "Traceback" not in res.stderr, res.stderr
        assert str(ext) in res.stderr and "manifest.json" in res.stderr and "background.js" in res.stderr
        assert snapshot(ext) == before


def test_a_sweep_into_a_project_with_a_runs_folder_is_refused_and_untouched(tmp_path):
    proj = tmp_path / "mlproj"
    (proj / "runs").mkdir(parents=True)
    (proj / "runs" / "exp1.log").write_text("loss 0.1")
    (proj / "train.py").write_text("train()")
    (proj / "README.md").write_text("# my project")
    exp = tmp_path / "exp.toml"
    exp.write_text('scenario = "baseline"\nhouseholds = 100\nmonths = 3\nreplicates = 1\n[vary]\n'
                   'monitoring.detection_prob = [0.2, 0.8]\n[outputs]\noutcomes = ["poverty_rate_end"]\n')
    before = snapshot(proj)
    res = ruralsim("sweep", exp, "--workers", 1, "--quiet", "--out", proj)
    assert res.returncode == 2 and "Traceback" not in res.stderr, res.stderr
    assert "train.py" in res.stderr and "README.md" in res.stderr and str(proj) in res.stderr
    assert snapshot(proj) == before


def test_report_does_not_read_through_a_symlinked_csv(first_run, tmp_path):
    import shutil

    out = tmp_path / "r"
    shutil.copytree(first_run, out)
    secret = tmp_path / "secrets.csv"
    secret.write_text("api_key,value\nTOPSECRET123,1\n")
    (out / "leak.csv").symlink_to(secret)
    res = ruralsim("report", out)
    assert res.returncode == 2 and "leak.csv" in res.stderr and "Traceback" not in res.stderr, res.stderr
    found = [p for p in out.rglob("*") if p.is_file() and not p.is_symlink() and b"TOPSECRET" in p.read_bytes()]
    assert found == []
    # The library functions skip links too (a command that forgot the check still reads nothing through one).
    from ruralsim.presentation.tables import data_dictionary, write_workbook

    assert "leak.csv" not in set(data_dictionary(out)["file"])
    book = write_workbook(out)
    import openpyxl

    assert "leak" not in openpyxl.load_workbook(book, read_only=True).sheetnames


def test_report_on_a_killed_folder_says_incomplete(first_run, tmp_path):
    import shutil

    out = tmp_path / "r"
    shutil.copytree(first_run, out)
    (out / "manifest.json").unlink()
    (out / "INCOMPLETE.txt").write_text("stopped\n\nkind: run\npid: 1\nkept: []\n")
    res = ruralsim("report", out)
    assert res.returncode == 2 and "incomplete results folder" in res.stderr and "no manifest.json" not in res.stderr


def test_report_adds_its_files_to_the_list(first_run, tmp_path):
    import shutil

    out = tmp_path / "r"
    shutil.copytree(first_run, out)
    (out / "report.md").unlink()
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    manifest["written"].remove("report.md")
    (out / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    res = ruralsim("report", out)
    assert res.returncode == 0, res.stderr
    assert "report.md" in json.loads((out / "manifest.json").read_text(encoding="utf-8"))["written"]


def test_a_dangling_symlink_out_is_named_as_such(tmp_path):
    (tmp_path / "gone").symlink_to(tmp_path / "nowhere")
    res = ruralsim("run", "baseline", *SMALL, "--out", tmp_path / "gone")
    assert res.returncode == 2 and "symbolic link" in res.stderr and "does not exist" in res.stderr, res.stderr
    assert "Traceback" not in res.stderr


def test_an_interrupted_forced_write_remembers_what_it_kept(tmp_path):
    """A writer stopped in a folder it shares with a user's file: the marker records the file, so a rerun
    still knows it is not ruralsim's (refused without --force) and never deletes it."""
    from ruralsim.analysis.folders import ownership, writing
    from ruralsim.config import ConfigError

    out = tmp_path / "o"
    out.mkdir()
    (out / "NOTES.txt").write_text("mine")
    with pytest.raises(RuntimeError):
        with writing(out, "run", force=True):
            (out / "summary.csv").write_text("half")
            raise RuntimeError("killed")
    assert (out / "INCOMPLETE.txt").is_file()
    owned, foreign = ownership(out)
    assert owned == {"summary.csv"} and foreign == ["NOTES.txt"]
    with pytest.raises(ConfigError, match="NOTES.txt"):
        with writing(out, "run"):
            pass
    with writing(out, "run", force=True):
        assert not (out / "summary.csv").exists()  # the stopped writer's file is cleared
        (out / "manifest.json").write_text(json.dumps({"schema": "ruralsim.run-manifest/1", "kind": "run"}))
    assert (out / "NOTES.txt").read_text() == "mine"
    assert json.loads((out / "manifest.json").read_text())["written"] == ["manifest.json"]
