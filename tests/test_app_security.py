"""The page serves only what it lists and keeps each browser's state apart (issue 26).

In-process through Flask's test client, posting the page's callbacks as a browser or an attacker would
(tests/app_requests.py); one test starts ``ruralsim app --host 0.0.0.0`` to check the token it prints
and the headers a real server sends. The two-browser test is in test_app_clients.py.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from conftest import SCENARIOS

pytest.importorskip("dash")

from app_driver import stop  # noqa: E402
from app_requests import post  # noqa: E402
from ruralsim.presentation.app.page import AppSettings, create_app  # noqa: E402
from ruralsim.presentation.app.runs import RunManager  # noqa: E402

SECRET = "TOPSECRET"
REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def manager():
    m = RunManager(workers=1)
    try:
        yield m
    finally:
        m.close()


@pytest.fixture
def planted(tmp_path) -> dict[str, Path]:
    """Files a client must never reach through the page, and a user folder holding traps."""
    secret = tmp_path / "secret"
    secret.mkdir()
    (secret / ".env").write_text(f"API_KEY = \"{SECRET}_ENV\"\n")
    (secret / "outside.toml").write_text(f'name = "{SECRET}_NAME"\nextends = "{(SCENARIOS / "baseline.toml").as_posix()}"'
                                         f'\n[budget]\nscale = 0.77\n')
    (secret / "bad.toml").write_text(f'extends = "{(SCENARIOS / "baseline.toml").as_posix()}"\n'
                                     f'[training]\ncoverage = "{SECRET}_VALUE"\n')
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "link.toml").symlink_to(secret / "outside.toml")
    (mine / "ext.toml").write_text(f'extends = "{(secret / "bad.toml").as_posix()}"\n')
    (mine / "own.toml").write_text(f'extends = "{(SCENARIOS / "baseline.toml").as_posix()}"\n[budget]\nscale = 0.9\n')
    return {"secret": secret, "mine": mine, "results": tmp_path / "results"}


def _app(manager, planted, **kw):
    settings = AppSettings(households=100, replicates=1, user_dir=planted["mine"], results_dir=planted["results"])
    return create_app(settings, manager, **kw)


HOSTILE_IDS = [None, 5, 1.5, True, [], ["shipped:baseline"], {"id": "shipped:baseline"}, "", "x" * 10_000,
               "shipped:nope", "mine:link.toml", "mine:../secret/outside.toml", "shipped:../../secret/.env",
               "../secret/outside.toml", "../../../../../../etc/passwd"]


def _hostile(planted) -> list:
    return [*HOSTILE_IDS, str(planted["secret"] / ".env"), str(planted["secret"] / "outside.toml"),
            str(SCENARIOS / "baseline.toml"), "mine:" + str(planted["secret"] / "outside.toml")]


def test_callbacks_given_paths_or_unknown_ids_return_no_file_content_and_no_500(manager, planted):
    app = _app(manager, planted)
    client = app.server.test_client()
    client.get("/")
    # The listed ids work (so the refusals below are not a page that refuses everything) ...
    ok = post(client, app, "lever-transition_exit_mode.value", {"scenario": "mine:own.toml"})
    assert ok.status_code == 200 and '"scenario-error":{"children":""}' in ok.get_data(as_text=True)
    assert '"job":{"data":{"id"' in post(client, app, "job.data", {"scenario": "shipped:cliff_exit"}).get_data(
        as_text=True)
    # ... and nothing else is read: no content, no 500, no job, no file saved.
    for sid in _hostile(planted):
        for output, values, state in (
                ("lever-transition_exit_mode.value", {"scenario": sid}, None),
                ("job.data", {"scenario": sid}, None),
                ("save-result.children", {"save": 1}, {"scenario": sid, "save-name": "copied"})):
            res = post(client, app, output, values, state)
            body = res.get_data(as_text=True)
            assert res.status_code in (200, 204), (sid, output, res.status_code)
            assert SECRET not in body and "API_KEY" not in body and "0.77" not in body, (sid, output, body[:300])
            assert '"job":{"data"' not in body, sid
    assert sorted(p.name for p in planted["mine"].iterdir()) == ["ext.toml", "link.toml", "own.toml"]
    # A listed file that extends one outside the folders is invalid, and the message quotes nothing from it.
    res = post(client, app, "lever-transition_exit_mode.value", {"scenario": "mine:ext.toml"})
    assert res.status_code == 200 and "INVALID" in res.get_data(as_text=True)
    assert SECRET not in res.get_data(as_text=True)


@pytest.mark.parametrize("output, values, state", [
    ("progress.value", {"poll": 1}, {"job": {"id": 5}}),
    ("progress.value", {"poll": 1}, {"job": "x"}),
    ("progress.value", {"poll": 1}, {"job": [1, 2]}),
    ("progress.value", {"poll": 1}, {"job": {"id": ["a"]}, "ready": "y"}),
    ("headline.children", {"ready": {"id": "../../etc/passwd", "scenario": "../../secret"}}, None),
    ("headline.children", {"ready": [1]}, None),
    ("headline.children", {"ready": {"id": {"a": 1}}}, None),
    ("job.data", {"scenario": "shipped:baseline", "lever-budget_scale": "lots"}, None),
    ("job.data", {"scenario": "shipped:baseline", "lever-budget_scale": [1]}, None),
    ("job.data", {"scenario": "shipped:baseline", "lever-budget_scale": {"a": 1}}, None),
    ("job.data", {"scenario": "shipped:baseline", "lever-transition_exit_mode": 7}, None),
    ("save-result.children", {"save": 1}, {"scenario": "shipped:baseline", "save-name": 5}),
    ("save-result.children", {"save": 1}, {"scenario": "shipped:baseline", "save-name": ["a"]}),
    ("save-result.children", {"save": 1}, {"scenario": "shipped:baseline", "save-name": {"a": "b"}}),
    ("save-result.children", {"save": "x"}, {"scenario": "shipped:baseline", "save-name": "a" * 81}),
])
def test_wrong_type_inputs_never_give_a_500(manager, planted, output, values, state):
    app = _app(manager, planted)
    client = app.server.test_client()
    client.get("/")
    res = post(client, app, output, values, state)
    assert res.status_code in (200, 204), res.get_data(as_text=True)[:500]
    assert SECRET not in res.get_data(as_text=True)
    assert not any(p.name.startswith("a") for p in planted["mine"].iterdir())  # no 81-character name saved


def test_save_names_are_at_most_80_characters(tmp_path):
    from ruralsim.config import ConfigError, load_scenario
    from ruralsim.presentation.app.scenario_file import save_scenario

    base = load_scenario(SCENARIOS / "baseline.toml")
    assert save_scenario(tmp_path, "a" * 80, base, {}, {}, {}).name == "a" * 80 + ".toml"
    with pytest.raises(ConfigError, match="up to 80"):
        save_scenario(tmp_path, "b" * 81, base, {}, {}, {})


def test_save_as_never_writes_through_a_planted_symlink(tmp_path):
    from ruralsim.config import ConfigError, load_scenario
    from ruralsim.presentation.app.scenario_file import save_scenario

    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "name.toml.part").symlink_to(victim)  # the old predictable temporary name
    (mine / "taken.toml").symlink_to(tmp_path / "nowhere.toml")  # a dangling link at the target name
    base = load_scenario(SCENARIOS / "baseline.toml")
    saved = save_scenario(mine, "name", base, {"budget_scale": 0.8}, {}, {"budget_scale": 0.8})
    assert victim.read_text() == "precious" and not saved.is_symlink()
    assert load_scenario(saved).params["budget_scale"] == 0.8
    with pytest.raises(ConfigError, match="exists already"):
        save_scenario(mine, "taken", base, {}, {}, {})
    assert not (tmp_path / "nowhere.toml").exists()
    assert sorted(p.name for p in mine.iterdir()) == ["name.toml", "name.toml.part", "taken.toml"]  # no temp left


def test_a_foreign_host_header_is_refused(manager, planted):
    app = _app(manager, planted, host="127.0.0.1")
    client = app.server.test_client()
    for host in ("127.0.0.1:8765", "localhost:8765", "[::1]:8765", "localhost"):
        assert client.get("/", headers={"Host": host}).status_code == 200, host
    for host in ("attacker.example", "attacker.example:8765", "127.0.0.1.attacker.example", "", "[::2]:80"):
        assert client.get("/", headers={"Host": host}).status_code == 403, host
        res = post(client, app, "lever-transition_exit_mode.value", {"scenario": "shipped:baseline"},
                   headers={"Host": host})
        assert res.status_code == 403 and "transition" not in res.get_data(as_text=True)


def test_a_wildcard_host_needs_the_token(manager, planted):
    app = _app(manager, planted, host="0.0.0.0", token="s3cret-token")
    client = app.server.test_client()
    assert client.get("/", headers={"Host": "192.0.2.7:8765"}).status_code == 403
    assert client.get("/?token=wrong", headers={"Host": "192.0.2.7:8765"}).status_code == 403
    res = post(client, app, "lever-transition_exit_mode.value", {"scenario": "shipped:baseline"})
    assert res.status_code == 403
    first = client.get("/?token=s3cret-token", headers={"Host": "192.0.2.7:8765"})
    assert first.status_code == 302 and "token" not in first.headers["Location"]
    assert "HttpOnly" in first.headers["Set-Cookie"] and "SameSite=Strict" in first.headers["Set-Cookie"]
    assert client.get("/", headers={"Host": "192.0.2.7:8765"}).status_code == 200  # the cookie carries it


def test_downloads_belong_to_the_session_that_asked(manager, planted):
    app = _app(manager, planted)
    alice, mallory = app.server.test_client(), app.server.test_client()
    alice.get("/")
    mallory.get("/")
    res = json.loads(post(alice, app, "job.data", {"scenario": "shipped:baseline"}).get_data(as_text=True))
    rid = res["response"]["job"]["data"]["id"]
    assert len(rid) >= 16 and not rid.isdigit()  # unguessable, not sequential
    t0 = time.monotonic()
    while True:
        poll = json.loads(post(alice, app, "progress.value", {"poll": 1}, {"job": {"id": rid}}).get_data(as_text=True))
        if "ready" in poll["response"]:
            break
        assert time.monotonic() - t0 < 120
        time.sleep(0.2)
    drawn = post(alice, app, "headline.children", {"ready": {"id": rid}})
    assert drawn.status_code == 200
    assert alice.get(f"/download/{rid}.csv").status_code == 200
    assert mallory.get(f"/download/{rid}.csv").status_code == 404
    stolen = post(mallory, app, "headline.children", {"ready": {"id": rid}})
    assert "headline-table" not in stolen.get_data(as_text=True)  # nothing drawn for another session


def test_one_clients_polling_never_cancels_anothers_run(manager):
    from ruralsim.config import load_scenario

    base = {**load_scenario(SCENARIOS / "baseline.toml").params, "run_households": 300, "run_months": 36,
            "run_replicates": 1}
    a = manager.submit({**base, "training_coverage": 0.3}, base, 1, client="a")
    b = manager.submit({**base, "training_coverage": 0.5}, base, 1, client="b")
    t0 = time.monotonic()
    while not (manager.status(a, client="a")["done"] and manager.status(b, client="b")["done"]):
        assert time.monotonic() - t0 < 180, "a client's poll cancelled the other's run"
        time.sleep(0.05)
    pa, _ = manager.results(a)
    pb, _ = manager.results(b)
    assert pa["poverty_rate_registry"].tolist() != pb["poverty_rate_registry"].tolist() or pa["fiscal_cost"].tolist() != \
        pb["fiscal_cost"].tolist()


def _rss_mb() -> float:
    import psutil

    return psutil.Process().memory_info().rss / 2**20


def test_2000_submits_stay_within_the_stated_bound(manager, planted):
    """README: at most 32 sessions x 16 requests, 256 requests and 240 cached series in all."""
    from ruralsim.presentation.app import runs, sessions

    app = _app(manager, planted)
    steps = [round(0.5 + 0.05 * i, 2) for i in range(20)]
    clients = [app.server.test_client() for _ in range(40)]  # more browsers than sessions are kept
    for c in clients:
        c.get("/")
    rss = []
    for i in range(2000):
        c = clients[i % len(clients)]
        value = steps[i % len(steps)] if i % 3 else 1.0  # repeats and new values
        res = post(c, app, "job.data", {"scenario": "shipped:baseline", "lever-budget_scale": value})
        assert res.status_code == 200
        if i in (499, 1999):
            rss.append(_rss_mb())
    assert len(manager.requests) <= runs.MAX_REQUESTS
    assert len(manager.cache) <= runs.MAX_CACHED
    assert len(manager.current) <= sessions.MAX_SESSIONS
    assert len(app.sessions) == sessions.MAX_SESSIONS  # 40 browsers, the 32 most recent kept
    assert all(len(sn.requests) <= sessions.MAX_REQUESTS and len(sn.frames) <= sessions.MAX_FRAMES
               for sn in app.sessions.all())
    assert rss[1] - rss[0] < 40, f"memory grew {rss[1] - rss[0]:.0f} MB between submit 500 and 2000"


def test_the_server_prints_a_token_for_0_0_0_0_and_reveals_no_versions(tmp_path):
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO / "model"), os.environ.get("PYTHONPATH", "")])}
    proc = subprocess.Popen([sys.executable, "-m", "ruralsim.cli", "app", "--port", "0", "--host", "0.0.0.0",
                             "--households", "100", "--replicates", "1", "--workers", "1"], cwd=tmp_path, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        url, seen = None, []
        t0 = time.monotonic()
        while url is None and time.monotonic() - t0 < 180:
            line = proc.stdout.readline()
            if not line:
                break
            seen.append(line)
            m = re.search(r"serving http://0\.0\.0\.0:(\d+)/\?token=([\w-]+)", line)
            url = m and (int(m.group(1)), m.group(2))
        assert url, "".join(seen)
        assert any("only with the token" in s for s in seen)
        port, token = url
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())
        with pytest.raises(urllib.error.HTTPError) as refused:
            opener.open(f"http://127.0.0.1:{port}/", timeout=30)
        assert refused.value.code == 403
        page = opener.open(f"http://127.0.0.1:{port}/?token={token}", timeout=30)  # redirected, cookie kept
        body = page.read().decode()
        assert page.status == 200 and page.url.endswith(f":{port}/")
        assert page.headers["Server"] == "ruralsim"
        config = re.search(r'<script id="_dash-config"[^>]*>(.*?)</script>', body, re.S).group(1)
        assert "python_version" not in config and sys.version.split()[0] not in config
        assert "Werkzeug" not in str(page.headers) and "Python" not in str(page.headers)
    finally:
        stop(proc)
