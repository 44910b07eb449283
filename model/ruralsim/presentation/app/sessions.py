"""Each browser's own state on the page: its requests, their scenario and the numbers it may download.

Why: the page is one server for whoever reaches it. A session is a random id (``secrets``, 192 bits) in
an HttpOnly, SameSite=Strict cookie; request and download ids are random too and looked up only in
the session that made them, so one client can neither see nor cancel another's runs. Memory is
bounded: at most :data:`MAX_SESSIONS` sessions (least recently seen dropped first, and its runs
released), each remembering :data:`MAX_REQUESTS` requests and :data:`MAX_FRAMES` finished answers.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

COOKIE = "ruralsim_session"
#: Browser sessions kept at once; the least recently seen is dropped beyond this.
MAX_SESSIONS = 32
#: Requests a session remembers (its polls of older ones say "dropped").
MAX_REQUESTS = 16
#: Finished answers a session keeps for its CSV downloads.
MAX_FRAMES = 5


@dataclass
class Asked:
    """One request of a session: the run manager's id, the scenario shown, when it was asked."""

    manager_id: int
    scenario: str
    submitted: float = field(default_factory=time.perf_counter)


class Session:
    """One browser's requests (by random id) and finished answers."""

    def __init__(self, sid: str):
        self.id = sid
        self.requests: OrderedDict[str, Asked] = OrderedDict()
        self.frames: OrderedDict[str, Any] = OrderedDict()

    def add(self, asked: Asked) -> str:
        rid = secrets.token_urlsafe(12)
        self.requests[rid] = asked
        while len(self.requests) > MAX_REQUESTS:
            self.requests.popitem(last=False)
        return rid

    def asked(self, rid: object) -> Asked | None:
        return self.requests.get(rid) if isinstance(rid, str) else None

    def keep_frame(self, rid: str, frame: Any) -> None:
        self.frames[rid] = frame
        self.frames.move_to_end(rid)
        while len(self.frames) > MAX_FRAMES:
            self.frames.popitem(last=False)


class Sessions:
    """The sessions of the page, least recently seen dropped beyond :data:`MAX_SESSIONS`; ``on_drop``
    is told the id of each dropped session (the run manager releases its runs)."""

    def __init__(self, on_drop: Callable[[str], None] = lambda sid: None, limit: int = MAX_SESSIONS):
        self._items: OrderedDict[str, Session] = OrderedDict()
        self._lock = threading.Lock()
        self._on_drop = on_drop
        self.limit = limit

    def get(self, sid: object) -> Session | None:
        with self._lock:
            if not isinstance(sid, str) or sid not in self._items:
                return None
            self._items.move_to_end(sid)
            return self._items[sid]

    def new(self) -> Session:
        with self._lock:
            session = Session(secrets.token_urlsafe(24))
            self._items[session.id] = session
            dropped = []
            while len(self._items) > self.limit:
                dropped.append(self._items.popitem(last=False)[0])
        for sid in dropped:
            self._on_drop(sid)
        return session

    def __len__(self) -> int:
        return len(self._items)

    def all(self) -> list[Session]:
        with self._lock:
            return list(self._items.values())
