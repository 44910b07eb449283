"""Every bad input the command line must refuse cleanly: one row each (read by test_bad_inputs.py).

A case is a command line run in ``<tmp>/proj`` after writing ``files`` under ``<tmp>`` (so a path
starting ``proj/`` is inside the working directory and ``elsewhere/`` is a file outside the
project). ``{tmp}`` in arguments and file contents is replaced by that folder. The command must
exit with ``code`` (2 unless said) within seconds, print every string of ``says`` on stderr, none of
``never`` anywhere, and no traceback. A new case is one more ``Case(...)`` line.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Sparse:
    """A file of ``size`` bytes that takes no disk space (a huge file named by a config)."""

    size: int


@dataclass(frozen=True)
class Case:
    id: str
    args: tuple[str, ...]
    says: tuple[str, ...]
    files: dict = field(default_factory=dict)
    code: int = 2
    never: tuple[str, ...] = ()


SECRET = "s3cr3t-token-do-not-print"
NESTED = "a = " + "[" * 400 + "]" * 400 + "\n"
DEEPER = "a = " + "[" * 5000 + "]" * 5000 + "\n"
SMALL = ("--households", "100", "--months", "3", "--replicates", "1", "--quiet")
RUN_MANIFEST = '{"kind": "run", "params": {}}'
EXP = 'scenario = "baseline"\nhouseholds = 100\nmonths = 12\nreplicates = 1\n'


def chain(n: int) -> dict:
    """``n`` scenario files, each extending the next."""
    files = {f"proj/c{i}.toml": f'extends = "c{i + 1}.toml"\n' for i in range(n - 1)}
    files[f"proj/c{n - 1}.toml"] = "[monitoring]\ndetection_prob = 0.3\n"
    return files


CASES: list[Case] = [
    # --- place shares (issue 13): regions must sum to 1, key counties within the west ------------
    Case("region-shares-do-not-sum-to-1", ("check", "regions.toml"),
         ("regions.toml", "places.east_share", "0.3", "region shares sum to 1.187, not 1",
          "places.east_share + places.central_share + places.west_share = 1"),
         {"proj/regions.toml": 'extends = "baseline.toml"\n[places]\neast_share = 0.3\n'}),
    Case("key-share-above-west-share", ("run", "keys.toml", *SMALL),
         ("keys.toml", "places.key_share", "0.6", "key counties are all in the west"),
         {"proj/keys.toml": 'extends = "baseline.toml"\n[places]\nkey_share = 0.6\n'}),
    Case("region-share-outside-0-1", ("check", "neg.toml"), ("neg.toml", "places.west_share", "-0.1", "from 0 to 1"),
         {"proj/neg.toml": 'extends = "baseline.toml"\n[places]\nwest_share = -0.1\n'}),
    # --- output folders: checked before any simulation -------------------------------------
    Case("out-is-a-file", ("run", "baseline", "--out", "afile", *SMALL), ("is a file, not a folder",),
         {"proj/afile": "x"}),
    Case("out-has-foreign-files", ("run", "baseline", "--out", "mine", *SMALL),
         ("holds files that ruralsim did not write",), {"proj/mine/thesis.docx": "my work"}),
    Case("run-into-a-sweep-folder", ("run", "baseline", "--out", "sw", *SMALL),
         ("holds a sweep result, not a run result",),
         {"proj/sw/manifest.json": '{"schema": "ruralsim.run-manifest/1", "kind": "sweep", "written": '
                                   '["manifest.json", "runs", "runs/x.parquet"]}', "proj/sw/runs/x.parquet": ""}),
    Case("run-into-a-folder-with-a-runs-folder", ("run", "baseline", "--out", "sw", *SMALL),
         ("holds files that ruralsim did not write: experiment.json, runs",),
         {"proj/sw/experiment.json": "{}", "proj/sw/runs/x.parquet": ""}),
    Case("compare-into-a-run-folder", ("compare", "baseline", "cliff_exit", "--out", "r", *SMALL),
         ("holds a run result, not a comparison result",),
         {"proj/r/manifest.json": '{"schema": "ruralsim.run-manifest/1", "kind": "run", "written": ["manifest.json"]}'}),
    Case("compare-into-a-foreign-manifest", ("compare", "baseline", "cliff_exit", "--out", "r", *SMALL),
         ("holds files that ruralsim did not write: manifest.json",), {"proj/r/manifest.json": RUN_MANIFEST}),
    Case("out-below-a-file", ("run", "baseline", "--out", "afile/sub", *SMALL), ("is not a folder",),
         {"proj/afile": "x"}),
    # --- config files: size, kind, depth, content never echoed ------------------------------
    Case("toml-nested-400-deep", ("check", "deep.toml"), ("unknown top-level key", "[[[[[[[[[...]]]]]]]]]"),
         {"proj/deep.toml": NESTED}),
    Case("toml-nested-5000-deep", ("check", "deeper.toml"), ("TOML nested too deeply",), {"proj/deeper.toml": DEEPER}),
    Case("extends-chain-of-40", ("check", "c0.toml"), ("extends chain longer than 32 files",), chain(40)),
    Case("extends-a-3gb-file", ("check", "big.toml"), ("too large",),
         {"proj/big.toml": 'extends = "huge.toml"\n', "proj/huge.toml": Sparse(3 * 2**30)}),
    Case("extends-a-device", ("check", "dev.toml"), ("not a regular file",), {"proj/dev.toml": 'extends = "/dev/zero"\n'}),
    Case("extends-a-folder", ("check", "dir.toml"), ("not a regular file",),
         {"proj/dir.toml": 'extends = "sub"\n', "proj/sub/x": ""}),
    Case("extends-a-file-outside-the-project", ("check", "leak.toml"), ("registry", "value not shown"),
         {"proj/leak.toml": 'extends = "../elsewhere/secret.toml"\n',
          "elsewhere/secret.toml": f'[registry]\ntoken = "{SECRET}"\n'}, never=(SECRET,)),
    Case("wrong-type-in-a-file-outside-the-project", ("check", "leak2.toml"), ("monitoring.line", "a string"),
         {"proj/leak2.toml": 'extends = "{tmp}/elsewhere/s.toml"\n',
          "elsewhere/s.toml": f'[monitoring]\nline = "{SECRET}"\n'}, never=(SECRET,)),
    Case("design-file-outside-the-project", ("sweep", "exp.toml", "--check"), ("column 1", "value not shown"),
         {"proj/exp.toml": EXP + '[design]\nmethod = "table"\nfile = "../elsewhere/passwd"\n',
          "elsewhere/passwd": f"root:x:0:0:{SECRET}:/root:/bin/bash\nbin:x:1:1::/bin:/usr/sbin/nologin\n"}, never=(SECRET,)),
    Case("experiment-scenario-outside-the-project", ("sweep", "exp2.toml", "--check"), ("value not shown",),
         {"proj/exp2.toml": 'scenario = "../elsewhere/sc.toml"\n[vary]\ntransition.years = [1, 2]\n',
          "elsewhere/sc.toml": f'registry = {{ token = "{SECRET}" }}\n'}, never=(SECRET,)),
    Case("twenty-thousand-unknown-sections", ("check", "many.toml"), ("more problem(s) not shown",),
         {"proj/many.toml": "".join(f"[s{i}]\n" for i in range(20_000))}),
    Case("nul-in-experiment-scenario", ("sweep", "nul.toml", "--check"), ("contains a NUL character",),
         {"proj/nul.toml": 'scenario = "base\\u0000line"\n[vary]\ntransition.years = [1, 2]\n'}),
    # --- sweeps: sizes and dates checked before anything runs --------------------------------
    Case("sobol-2-to-the-30", ("sweep", "sobol.toml", "--check"), ("more than the 100,000 allowed without --force",),
         {"proj/sobol.toml": EXP + '[design]\nmethod = "sobol"\nsamples = 1073741824\n'
                                  "[vary]\ntransition.years = { low = 1, high = 5 }\n"}),
    Case("grid-of-1e8-points", ("sweep", "grid.toml", "--check"), ("100,000,000 points",),
         {"proj/grid.toml": EXP + "[vary]\nshocks.illness_multiplier = { low = 0.5, high = 2.0, steps = 100000000 }\n"}),
    Case("series-months-after-the-run", ("sweep", "late.toml", "--check"), ("outside the run", "2099-12"),
         {"proj/late.toml": EXP + '[vary]\ntransition.years = [1, 2]\n[outputs]\nseries_months = ["2099-12"]\n'}),
    Case("year-table-after-the-run-is-a-note", ("sweep", "line.toml", "--check"),
         ("note: monitoring.line: its first year 2090 is after the run ends",),
         {"proj/line.toml": EXP + "[vary]\ntransition.years = [1, 2]\n[fixed]\nmonitoring.line = { 2090 = 9000 }\n"},
         code=0),
    Case("sweep-shorter-than-its-factor-is-a-note", ("sweep", "short.toml", "--check", "--months", "24"),
         ("will be NaN there",),
         {"proj/short.toml": EXP + "[vary]\ntransition.years = [3, 5]\n"
                                   '[outputs]\noutcomes = ["poverty_rate_after_transition"]\n'}, code=0),
    # --- calibration: run sizes and seeds are not model parameters ---------------------------
    Case("calibrate-run-households", ("calibrate", "--params", "run.households=10:20", "--dry-run", "--quiet"),
         ("run sizes and seeds cannot be calibrated",)),
    Case("calibrate-run-seed", ("calibrate", "--params", "run.seed", "--dry-run", "--quiet"),
         ("run sizes and seeds cannot be calibrated",)),
    # --- plot: damaged, hostile or incomplete folders ----------------------------------------
    Case("plot-garbage-manifest", ("plot", "r"), ("not valid JSON",), {"proj/r/manifest.json": "garbage{"}),
    Case("plot-list-manifest", ("plot", "r"), ("a JSON list, not an object",), {"proj/r/manifest.json": "[]"}),
    Case("plot-null-manifest", ("plot", "r"), ("a JSON NoneType, not an object",), {"proj/r/manifest.json": "null"}),
    Case("plot-truncated-manifest", ("plot", "r"), ("not valid JSON",),
         {"proj/r/manifest.json": '{"kind": "run", "par'}),
    Case("plot-deep-manifest", ("plot", "r"), ("not valid JSON",),
         {"proj/r/manifest.json": "[" * 100_000 + "]" * 100_000}),
    Case("plot-kind-not-a-string", ("plot", "r"), ("kind", "must be a string"), {"proj/r/manifest.json": '{"kind": 5}'}),
    Case("plot-unknown-kind", ("plot", "r"), ("no plots known for this kind",),
         {"proj/r/manifest.json": '{"kind": "nonsense"}'}),
    Case("plot-run-without-parquet", ("plot", "r"), ("cannot redraw",), {"proj/r/manifest.json": RUN_MANIFEST}),
    Case("plot-garbage-parquet", ("plot", "r"), ("cannot redraw",),
         {"proj/r/manifest.json": RUN_MANIFEST, "proj/r/timeseries.parquet": "PAR1 not parquet PAR1",
          "proj/r/distribution.parquet": "PAR1"}),
    Case("plot-truncated-parquet", ("plot", "r"), ("cannot redraw",),
         {"proj/r/manifest.json": RUN_MANIFEST, "proj/r/timeseries.parquet": b"PAR1\x15\x04\x15\x10\x15"}),
    Case("plot-incomplete-folder", ("plot", "r"), ("incomplete results folder",),
         {"proj/r/manifest.json": RUN_MANIFEST, "proj/r/INCOMPLETE.txt": "kind: run\n"}),
    Case("plot-scenario-of-an-incomplete-comparison", ("plot", "c/a"), ("incomplete results folder",),
         {"proj/c/INCOMPLETE.txt": "kind: comparison\n", "proj/c/a/manifest.json": RUN_MANIFEST}),
    Case("plot-comparison-folder-escapes", ("plot", "c"), ("must name a sub-folder of this folder",),
         {"proj/c/manifest.json": '{"kind": "comparison", "extra": {"scenarios": '
                                  '[{"label": "a", "folder": "../../victim"}]}}',
          "victim/manifest.json": RUN_MANIFEST}),
    Case("plot-comparison-folder-absolute", ("plot", "c"), ("must name a sub-folder of this folder",),
         {"proj/c/manifest.json": '{"kind": "comparison", "extra": {"scenarios": '
                                  '[{"label": "a", "folder": "{tmp}/victim"}]}}',
          "victim/manifest.json": RUN_MANIFEST}),
    Case("plot-comparison-scenarios-null", ("plot", "c"), ("must be a list of tables",),
         {"proj/c/manifest.json": '{"kind": "comparison", "extra": {"scenarios": null}}'}),
    Case("plot-sweep-without-experiment", ("plot", "s"), ("cannot redraw",), {"proj/s/manifest.json": '{"kind": "sweep"}'}),
    # --- programme paths after 2025 (issue 13) -------------------------------------------------------
    Case("programme-unknown-name", ("check", "p.toml"),
         ("p.toml", "programmes.postz", "unknown key in [programmes]", "did you mean 'programmes.posts'", "subsidies, industry"),
         {"proj/p.toml": 'extends = "baseline.toml"\n[programmes]\npostz = { 2026 = 0.0 }\n'}),
    Case("programme-year-before-2026", ("check", "p.toml"),
         ("p.toml", "programmes.posts[2025]", "year 2025 is outside", "years from 2026 to 2030"),
         {"proj/p.toml": 'extends = "baseline.toml"\n[programmes]\nposts = { 2025 = 1.0, 2027 = 0.0 }\n'}),
    Case("programme-year-after-the-horizon", ("check", "p.toml"),
         ("programmes.training[2031]", "the run's last year, 2030", "years from 2026 to 2030"),
         {"proj/p.toml": 'extends = "baseline.toml"\n[programmes]\ntraining = { 2026 = 1.0, 2031 = 2.0 }\n'}),
    Case("programme-year-after-a-shorter-run", ("run", "p.toml", "--households", "100", "--replicates", "1", "--quiet"),
         ("programmes.industry[2027]", "the run's last year, 2026"),
         {"proj/p.toml": 'extends = "baseline.toml"\n[run]\nmonths = 72\n[programmes]\nindustry = { 2027 = 0.5 }\n'}),
    Case("programme-negative-level", ("check", "p.toml"),
         ("programmes.posts[2027] = -1.0", "out of range", "'transition', a level from 0 to 3"),
         {"proj/p.toml": 'extends = "baseline.toml"\n[programmes]\nposts = { 2026 = 1.0, 2027 = -1.0 }\n'}),
    Case("programme-level-above-range", ("check", "p.toml"), ("programmes.dibao = 4.0", "out of range"),
         {"proj/p.toml": 'extends = "baseline.toml"\n[programmes]\ndibao = 4.0\n'}),
    Case("programme-level-a-word", ("check", "p.toml"), ("programmes.medical = \"keep\"", "invalid level"),
         {"proj/p.toml": 'extends = "baseline.toml"\n[programmes]\nmedical = "keep"\n'}),
    Case("monitoring-after-2025-misspelt", ("check", "p.toml"),
         ("monitoring.after_2025 = \"merge\"", "did you mean 'merged'", "'separate', 'merged'"),
         {"proj/p.toml": 'extends = "baseline.toml"\n[monitoring]\nafter_2025 = "merge"\n'}),
]
