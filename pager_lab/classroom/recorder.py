"""Record a finished drill once, whichever driver finished it, and never lose it.

Every driver (the terminal, ``pager-lab gm``, the notebook console and the Voilà app) holds
one :class:`DrillRecorder` for a student's handle and a store. When its drill finishes it
calls :meth:`DrillRecorder.record`; a second call for the same session (a double finish, a
re-render, the game master's poll after the console's click) returns the first outcome and
writes nothing. The result's idempotency key (:attr:`DrillResult.key`) is the second guard:
``finished_at`` comes from the drill's own clock, so another recorder writing the same
finished drill stores nothing new either.

A store that fails (an unreachable PostgreSQL, a read-only file) does not lose the result:
the outcome says why in one line, and :meth:`RecordOutcome.save_for_later` writes the drill
as the JSON that ``pager-lab class submit FILE --handle H`` records later.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

from pager_lab.classroom.record import result_from_session
from pager_lab.classroom.results import DrillResult, check_handle
from pager_lab.classroom.store import ResultsStore, make_engine
from pager_lab.classroom.target import default_target, masked, store_url
from pager_lab.core.drill_restore import drill_document
from pager_lab.core.drill_session import DrillSession
from pager_lab.core.errors import PagerLabError

__all__ = ["DrillRecorder", "RecordOutcome", "pending_name"]


def pending_name(handle: str, session: DrillSession) -> str:
    """The file name a drill waiting to be submitted is saved under."""
    return f"drill-{handle}-{session.scenario.name}-seed{session.seed}.json"


@dataclass(frozen=True)
class RecordOutcome:
    """What recording one finished drill did: stored, already there, or failed (and why)."""

    handle: str
    """The student's handle."""
    where: str
    """The store (file or URL, password masked)."""
    session: DrillSession
    """The finished drill (kept so a failed write can still be saved for later)."""
    result: DrillResult | None = None
    """The result written, or ``None`` when the store failed."""
    added: bool = False
    """Whether the store had not held this result before."""
    error: str = ""
    """Why the store failed (one line, no password), or ``""``."""

    @property
    def ok(self) -> bool:
        """Whether the result is in the store (new or already there)."""
        return not self.error

    def line(self) -> str:
        """One line for the student."""
        if self.error:
            return f"NOT recorded for {self.handle}: {self.error}"
        assert self.result is not None
        what = f"{self.result.scenario} (seed {self.result.seed}), score {self.result.score:g}"
        if self.added:
            return f"recorded for {self.handle} in {self.where}: {what}"
        return f"already recorded for {self.handle} in {self.where}: {what} (nothing added)"

    def advice(self) -> str:
        """How a failed result still reaches the store (``""`` when it is stored)."""
        if not self.error:
            return ""
        return (
            "Nothing is lost: save the drill as JSON and record it later with "
            f"`pager-lab class submit FILE --handle {self.handle}`"
        )

    def save_for_later(self, folder: Path | str = ".") -> Path:
        """Write the drill as JSON in *folder* for ``class submit``; the file written."""
        target = Path(folder) / pending_name(self.handle, self.session)
        target.write_text(drill_document(self.session), "utf-8")
        return target

    def submit_hint(self, file: Path) -> str:
        """The command that records *file* later."""
        store = "STORE_URL" if "***" in self.where else self.where  # a password stays unshown
        return f"pager-lab class submit {file} --handle {self.handle} --store {store}"


class DrillRecorder:
    """Records finished drills for one *handle* in one store, each session at most once."""

    def __init__(
        self, handle: str, store: str | Path | None = None, *, field: str = "--handle"
    ) -> None:
        self.handle = check_handle(handle, field)  # *field*: where the handle was typed
        """The student's handle (checked: a handle, never a name or an e-mail)."""
        self.target = str(store) if store is not None else default_target()
        """The store: a SQLite file or a SQLAlchemy URL (``$PAGER_LAB_CLASS_STORE`` if None)."""
        url = store_url(self.target)
        self.where = masked(url)
        """The store as it may be shown (a URL's password masked)."""
        make_engine(url).dispose()  # an unknown driver fails now, before the drill is played
        self._done: dict[int, RecordOutcome] = {}
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"DrillRecorder({self.handle!r}, {self.where!r}, recorded={len(self._done)})"

    def outcome(self, session: DrillSession) -> RecordOutcome | None:
        """What :meth:`record` did for *session*, or ``None`` if it has not been called."""
        return self._done.get(id(session))

    def record(self, session: DrillSession) -> RecordOutcome:
        """Write finished *session* once; later calls return the first outcome.

        A failed write is not retried here (the outcome says how to submit it later), so a
        re-render never hammers an unreachable server."""
        if not session.finished:
            raise PagerLabError(
                f"{session.scenario.name} is still playing (+{session.now:g} min): "
                "a drill is recorded when it has finished"
            )
        with self._lock:
            done = self._done.get(id(session))
            if done is not None and done.session is session:
                return done
            outcome = self._write(session)
            self._done[id(session)] = outcome
            return outcome

    def _write(self, session: DrillSession) -> RecordOutcome:
        try:
            with ResultsStore(self.target, create=True) as store:
                result = result_from_session(self.handle, session)
                added = store.add(result)  # what record_drill does, keeping whether it was new
        except PagerLabError as exc:
            return RecordOutcome(self.handle, self.where, session, error=_one_line(exc))
        except OSError as exc:
            why = f"cannot write the results store {self.where} ({exc.strerror or exc})"
            return RecordOutcome(self.handle, self.where, session, error=why)
        return RecordOutcome(self.handle, self.where, session, result=result, added=added)


def _one_line(exc: Exception) -> str:
    text = str(exc).strip()
    return next((line.strip() for line in text.splitlines() if line.strip()), type(exc).__name__)
