"""Post the page's callbacks as a browser (or an attacker) would: JSON to ``/_dash-update-component``.

Shared by the page's security tests; the payload is built from the app's own callback map, so a
changed layout cannot make these tests post to callbacks that no longer exist.
"""

from __future__ import annotations

import json
from typing import Any


def callback_key(app, first_output: str) -> str:
    """The key of the callback whose first output is ``first_output`` (``"job.data"``)."""
    return next(k for k in app.callback_map if k.startswith(".." + first_output) or k == first_output)


def payload(app, first_output: str, values: dict[str, Any], state: dict[str, Any] | None = None) -> dict:
    """The JSON Dash's renderer posts for that callback: every input and state, with ``values`` (by
    component id) and None for the rest."""
    key = callback_key(app, first_output)
    spec = app.callback_map[key]
    outputs = [{"id": o.split(".")[0], "property": o.split(".")[1]}
               for o in key.strip(".").split("...")]
    inputs = [{"id": i["id"], "property": i["property"], "value": values.get(i["id"])} for i in spec["inputs"]]
    states = [{"id": i["id"], "property": i["property"], "value": (state or {}).get(i["id"])}
              for i in spec["state"]]
    changed = [f"{i['id']}.{i['property']}" for i in spec["inputs"] if i["id"] in values]
    return {"output": key, "outputs": outputs, "inputs": inputs, "state": states, "changedPropIds": changed}


def post(client, app, first_output: str, values: dict[str, Any], state: dict[str, Any] | None = None, **kw):
    return client.post("/_dash-update-component", data=json.dumps(payload(app, first_output, values, state)),
                       content_type="application/json", **kw)
