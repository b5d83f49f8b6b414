"""Write what the planner and leadership decide back through the landing contract.

Planner decisions go to ``<landing>/plan/decisions.csv`` and leadership decisions to
``<landing>/plan/leadership_decisions.csv``, in the contract's columns (the file's own
header order when it exists). A write is an append that never touches earlier rows: under
an exclusive lock, the old file's bytes are copied unchanged into a temporary file in the
same folder, the new row is added, and the temporary file replaces the old one in one
``os.replace``. A reader (a dbt build landing the folder) sees either the old file or the
new one, never half a row; two writers in a row both land.

Bad input is refused with a message (``DecisionRefused``) and nothing is written.
"""

from __future__ import annotations

import csv
import fcntl
import io
import math
import os
import re
import time
from collections.abc import Iterable, Sequence
from contextlib import contextmanager
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from sop_analytics.contract import columns

DECISION_COLUMNS = columns("plan/decisions")
LEADERSHIP_COLUMNS = columns("plan/leadership_decisions")

__all__ = [
    "DECISIONS", "LEADERSHIP_DECISIONS", "DecisionRefused", "append_decision",
    "append_leadership_decision", "landing_dir", "next_leadership_decision_id", "read_rows",
]

DECISIONS = "decisions"
LEADERSHIP_DECISIONS = "leadership_decisions"
DECISION_KINDS = ("accept", "reject", "modify")
LEADERSHIP_STATUSES = ("open", "done", "dropped")
TIMESTAMP_FORMAT = "%Y-%m-%dT%H:%M:%S"  # ISO 8601, UTC (as the scripted planner writes it)
LOCK_TIMEOUT_SECONDS = 10.0


class DecisionRefused(ValueError):
    """Bad input: the messages say what is wrong; nothing was written."""

    def __init__(self, messages: Sequence[str]):
        self.messages = list(messages)
        super().__init__("; ".join(self.messages))


def landing_dir(landing: str | os.PathLike | None = None) -> Path:
    """The landing folder: ``landing``, else ``SOP_LANDING_DIR``, else the demo's."""
    return Path(landing if landing is not None else os.environ.get("SOP_LANDING_DIR", "data/demo/landing"))


def _path(landing: Path, entity: str) -> Path:
    plan = landing / "plan"
    if (plan / f"{entity}.parquet").exists() and not (plan / f"{entity}.csv").exists():
        raise DecisionRefused([f"{plan / (entity + '.parquet')} is Parquet: the workbench appends to "
                               f"plan/{entity}.csv only (convert it to CSV to decide in the app)"])
    return plan / f"{entity}.csv"


def read_rows(landing: str | os.PathLike | None, entity: str) -> list[dict[str, str]]:
    """The rows of ``plan/<entity>.csv`` as text (empty when the file does not exist)."""
    path = _path(landing_dir(landing), entity)
    if not path.exists():
        return []
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@contextmanager
def _locked(path: Path):
    """An exclusive lock next to ``path`` (bounded wait)."""
    lock_path = path.parent / f".{path.name}.lock"
    with lock_path.open("a") as lock:
        deadline = datetime.now(timezone.utc) + timedelta(seconds=LOCK_TIMEOUT_SECONDS)
        while True:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if datetime.now(timezone.utc) > deadline:
                    raise TimeoutError(f"{path} is locked by another writer for over {LOCK_TIMEOUT_SECONDS}s")
                time.sleep(0.05)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _append_row(path: Path, default_header: Sequence[str], required: Iterable[str], row: dict[str, str]) -> str:
    """Append ``row`` to the CSV at ``path`` atomically; return the line written.

    Called with the lock held. The old bytes are kept exactly; only a missing final newline
    is added before the new row."""
    path.parent.mkdir(parents=True, exist_ok=True)
    old = path.read_bytes() if path.exists() else b""
    if old.strip():
        header = next(csv.reader(io.StringIO(old.decode("utf-8").splitlines()[0])))
        missing = [c for c in required if c not in header]
        if missing:
            raise DecisionRefused([f"{path}: header {header} lacks the contract's column(s) {missing}"])
        prefix = old if old.endswith(b"\n") else old + b"\n"
    else:
        header = list(default_header)
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerow(header)
        prefix = buffer.getvalue().encode("utf-8")
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow([row.get(column, "") for column in header])
    line = buffer.getvalue()
    tmp = path.parent / f".{path.name}.tmp-{os.getpid()}"
    try:
        with tmp.open("wb") as f:
            f.write(prefix + line.encode("utf-8"))
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return line


def _one_line(text: str | None) -> str:
    """Text on one line (a CSV row stays on one line of the file: landing rows map to lines)."""
    return re.sub(r"\s+", " ", text or "").strip()


def _format_quantity(value: float) -> str:
    return f"{value:.6f}".rstrip("0").rstrip(".")


def append_decision(landing: str | os.PathLike | None, *, proposal_id: str, decision: str,
                    adjusted_quantity: float | None, rationale: str, decided_by: str,
                    known_proposals: Iterable[str] | None = None, now: datetime | None = None) -> dict[str, str]:
    """Check one planner decision and append it to ``plan/decisions.csv``; return the row.

    Refused (``DecisionRefused``, nothing written): an unknown proposal, a decision other
    than accept / reject / modify, a modify without a quantity (or a negative one), a
    quantity on an accept or reject, an empty rationale, no decider. ``decided_at`` is
    ``now`` (UTC; default the current time), moved one second past the proposal's latest
    decision when it would not be later (the latest decision is the one that counts)."""
    decision = (decision or "").strip().lower()
    rationale, decided_by, proposal_id = _one_line(rationale), _one_line(decided_by), (proposal_id or "").strip()
    errors = []
    if not proposal_id:
        errors.append("choose a proposal")
    elif known_proposals is not None and proposal_id not in set(known_proposals):
        errors.append(f"proposal {proposal_id!r} is not in the published build's proposals")
    if decision not in DECISION_KINDS:
        errors.append(f"decision must be one of {', '.join(DECISION_KINDS)} (got {decision!r})")
    quantity = None if adjusted_quantity is None or (isinstance(adjusted_quantity, float)
                                                      and math.isnan(adjusted_quantity)) else float(adjusted_quantity)
    if decision == "modify":
        if quantity is None:
            errors.append("a modify needs the adjusted quantity (units per period)")
        elif not math.isfinite(quantity) or quantity < 0:
            errors.append(f"the adjusted quantity must be a number of units, 0 or more (got {adjusted_quantity})")
    elif decision in ("accept", "reject") and quantity is not None:
        errors.append(f"an adjusted quantity is only for a modify (this is a {decision}); clear it")
    if not rationale:
        errors.append("the rationale is empty: say why")
    if not decided_by:
        errors.append("say who decides (decided by)")
    if errors:
        raise DecisionRefused(errors)
    moment = (now or datetime.now(timezone.utc)).astimezone(timezone.utc).replace(tzinfo=None, microsecond=0)
    path = _path(landing_dir(landing), DECISIONS)
    path.parent.mkdir(parents=True, exist_ok=True)
    with _locked(path):
        earlier = [datetime.fromisoformat(r["decided_at"].replace("Z", "")).replace(tzinfo=None)
                   for r in read_rows(path.parent.parent, DECISIONS)
                   if r.get("proposal_id") == proposal_id and r.get("decided_at")]
        if earlier and moment <= max(earlier):
            moment = max(earlier) + timedelta(seconds=1)
        row = {"proposal_id": proposal_id, "decision": decision,
               "adjusted_quantity": "" if quantity is None else _format_quantity(quantity),
               "rationale": rationale, "decided_by": decided_by, "decided_at": moment.strftime(TIMESTAMP_FORMAT)}
        _append_row(path, DECISION_COLUMNS, DECISION_COLUMNS, row)
    return row


def next_leadership_decision_id(landing: str | os.PathLike | None, cycle: str) -> str:
    """The next free ``LD-<cycle>-<n>`` id in ``plan/leadership_decisions``."""
    taken = {r.get("decision_id") for r in read_rows(landing, LEADERSHIP_DECISIONS)}
    n = 1
    while f"LD-{cycle}-{n}" in taken:
        n += 1
    return f"LD-{cycle}-{n}"


def append_leadership_decision(landing: str | os.PathLike | None, *, cycle: str, topic: str, decision: str,
                               owner: str, due_date: date | str | None, status: str = "open",
                               option_id: str | None = None, earliest_due: date | None = None) -> dict[str, str]:
    """Check one leadership decision and append it to ``plan/leadership_decisions.csv``.

    Refused: an empty topic, decision or owner, no or a bad due date (or one before
    ``earliest_due``, the cycle's first day), a status other than open / done / dropped, a
    cycle not ``YYYY-MM``. The id is the next free ``LD-<cycle>-<n>``. An ``option_id`` is
    written to the optional ``option_id`` column when the file has it, else named in the
    decision text (adding a column would rewrite every earlier row)."""
    topic, decision, owner = _one_line(topic), _one_line(decision), _one_line(owner)
    status = (status or "").strip().lower()
    errors = []
    if not re.fullmatch(r"\d{4}-\d{2}", cycle or ""):
        errors.append(f"cycle must be YYYY-MM (got {cycle!r})")
    if not topic:
        errors.append("the topic is empty")
    if not decision:
        errors.append("the decision is empty: say what was decided")
    if not owner:
        errors.append("name the owner")
    due = None
    if due_date in (None, ""):
        errors.append("give a due date")
    else:
        try:
            due = due_date if isinstance(due_date, date) else date.fromisoformat(str(due_date))
        except ValueError:
            errors.append(f"due date {due_date!r} is not a date YYYY-MM-DD")
    if due is not None and earliest_due is not None and due < earliest_due:
        errors.append(f"due date {due} is before the cycle starts ({earliest_due})")
    if status not in LEADERSHIP_STATUSES:
        errors.append(f"status must be one of {', '.join(LEADERSHIP_STATUSES)} (got {status!r})")
    if errors:
        raise DecisionRefused(errors)
    path = _path(landing_dir(landing), LEADERSHIP_DECISIONS)
    path.parent.mkdir(parents=True, exist_ok=True)
    with _locked(path):
        header = list(LEADERSHIP_COLUMNS)  # a new file: the contract's columns, option_id included
        if path.exists() and path.read_bytes().strip():
            with path.open(encoding="utf-8", newline="") as f:
                header = next(csv.reader(f))
        option = _one_line(option_id)
        if option and "option_id" not in header:
            decision = f"{decision} (option {option})"
        row = {"decision_id": next_leadership_decision_id(path.parent.parent, cycle), "cycle": cycle,
               "topic": topic, "decision": decision, "owner": owner, "due_date": due.isoformat(),
               "status": status, "option_id": option}
        # option_id is optional (contract v1.1): a v1 file without it is appended to as it is
        _append_row(path, LEADERSHIP_COLUMNS, [c for c in LEADERSHIP_COLUMNS if c != "option_id"], row)
    return {k: v for k, v in row.items() if k != "option_id" or "option_id" in header}
