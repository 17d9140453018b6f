"""Run independent tasks (a point's sizing, a roster group, an outreach area, a sample, a variant)
serially, in a process pool or on Ray.

One interface, so the result never depends on where a task ran. A task that raises fails
alone: its error is returned in its place and the other tasks complete. A worker process
that dies (killed, out of memory) breaks a ProcessPoolExecutor; the pool is then rebuilt
and the unfinished tasks are tried again, each in a pool of its own, so that only the task
that kills its worker is reported as failed.

Workers that give memory back: a task function, or the object whose method it is (a pipeline stage), may
declare `one_task_per_worker = True`; the pool then runs each task in a new worker (concurrent.futures'
max_tasks_per_child=1, spawned workers: a forked worker would also start with a copy of the parent's memory; more
than one task a worker can deadlock the pool on Python 3.11–3.13, CPython issue gh-115634, one cannot: a worker that
exits after every task never leaves an idle token behind).
A worker's heap only grows: CP-SAT and the models of a year's outreach area leave a worker at 1.1–1.5 GB after a
few areas (issue #15), which a new worker does not carry. Every pool worker also returns its freed heap to the
system after each task (glibc's malloc_trim). Neither changes a result: a task reads only its item and `shared`.

`shared`: one object every task reads (the scenario of a sweep). It is shipped once per
worker process (pool initializer) or once per cluster (Ray's object store), not once per
task; the task function is then called as function(item, shared).
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import pickle
import traceback
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, Protocol, TypeVar

from planner.base.errors import InfeasiblePlan, ScenarioError

T = TypeVar("T")
R = TypeVar("R")


@dataclass(frozen=True)
class TaskResult(Generic[R]):
    key: str
    value: R | None
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


class _Nothing:
    """No shared object. Pickled by name, so a spawned worker gets this same object back (an object() pickled to a
    spawned worker is another object, and `shared is _NOTHING` failed there: the task got a second argument)."""

    def __reduce__(self) -> str:
        return "_NOTHING"


_NOTHING = _Nothing()
_shared_in_worker: Any = _NOTHING  # set once per pool worker by _keep_shared


def _guarded(function: Callable[..., R], item: Any, shared: Any = _NOTHING) -> tuple[R | None, str | None]:
    try:
        return (function(item) if shared is _NOTHING else function(item, shared)), None
    except ScenarioError as exc:  # the whole run's input error: run_pieces raises it again
        return None, InputError(exc)
    except InfeasiblePlan as exc:
        return None, str(exc)  # in the user's terms already: no type name, no traceback
    except Exception as exc:  # noqa: BLE001 - a task's failure is data for the manifest
        return None, f"{type(exc).__name__}: {exc}\n{traceback.format_exc(limit=3)}"


class InputError(str):
    """A task's failure that is bad input (exit 2): its text, and the ScenarioError itself."""

    error: ScenarioError

    def __new__(cls, error: ScenarioError) -> InputError:
        text = super().__new__(cls, str(error))
        text.error = error
        return text

    def __reduce__(self) -> tuple:
        return (InputError, (self.error,))


def _keep_shared(shared: Any) -> None:
    global _shared_in_worker
    _shared_in_worker = shared
    _die_with_parent()


_PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    """A pool worker ends when the run that started it dies, even by SIGKILL (Linux's PR_SET_PDEATHSIG)."""
    import ctypes
    import signal

    try:
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (AttributeError, OSError):
        pass  # not Linux: the pool's own shutdown is all there is


def _guarded_in_worker(function: Callable[..., R], item: Any) -> tuple[R | None, str | None]:
    try:
        return _guarded(function, item, _shared_in_worker)
    finally:
        _give_back_memory()


def _give_back_memory() -> None:
    """Free what the task left (cycles included) and return the freed heap to the system (glibc's malloc_trim):
    a worker's resident memory is then what the next task needs, not the largest task's so far."""
    import ctypes
    import gc

    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (AttributeError, OSError):
        pass  # not glibc: the allocator keeps what it keeps


def one_task_per_worker(function: Callable[..., Any]) -> bool:
    """Whether a task function (or the object whose bound method it is) declares `one_task_per_worker = True`."""
    return bool(getattr(function, "one_task_per_worker", False)
                or getattr(getattr(function, "__self__", None), "one_task_per_worker", False))


class Executor(Protocol):
    def run(self, function: Callable[..., Any], items: Sequence[tuple[str, Any]],
            shared: Any = _NOTHING) -> list[TaskResult]: ...


class SerialExecutor:
    """Everything in this process, in order: the reference the others must match."""

    def run(self, function: Callable[..., R], items: Sequence[tuple[str, Any]],
            shared: Any = _NOTHING) -> list[TaskResult[R]]:
        results = []
        for key, item in items:
            value, error = _guarded(function, item, shared)
            results.append(TaskResult(key, value, error))
        return results


class ProcessExecutor:
    """A local process pool; results come back in the order of the items.

    `one_task_per_worker`: each task in a new (spawned) worker (the module's docstring), for every run; a task
    function can also declare it (one_task_per_worker()). False: workers live as long as the pool.
    """

    def __init__(self, workers: int, retries: int = 1, one_task_per_worker: bool = False):
        self.workers = max(1, workers)
        self.retries = retries
        self.one_task_per_worker = one_task_per_worker

    def run(self, function: Callable[..., R], items: Sequence[tuple[str, Any]],
            shared: Any = _NOTHING) -> list[TaskResult[R]]:
        done: dict[str, TaskResult[R]] = {}
        pending = list(items)
        recycle = self.one_task_per_worker or one_task_per_worker(function)
        if recycle:
            _give_back_memory()  # the parent's freed heap too (e.g. the demand stage's before the outreach areas)

        def pool_of(workers: int) -> ProcessPoolExecutor:
            if recycle:
                return ProcessPoolExecutor(max_workers=workers, initializer=_keep_shared, initargs=(shared,),
                                           mp_context=multiprocessing.get_context("spawn"), max_tasks_per_child=1)
            return ProcessPoolExecutor(max_workers=workers, initializer=_keep_shared, initargs=(shared,))

        for _ in range(self.retries):
            if not pending:
                break
            with pool_of(self.workers) as pool:
                futures = {key: pool.submit(_guarded_in_worker, function, item) for key, item in pending}
                for key, future in futures.items():
                    try:
                        value, error = future.result()
                        done[key] = TaskResult(key, value, error)
                    except BrokenProcessPool:
                        pass  # tried again below
            pending = [(key, item) for key, item in pending if key not in done]
        # Last try: each task in a pool of its own, so a task that kills its worker fails alone.
        for key, item in pending:
            with pool_of(1) as pool:
                try:
                    value, error = pool.submit(_guarded_in_worker, function, item).result()
                    done[key] = TaskResult(key, value, error)
                except BrokenProcessPool:
                    done[key] = TaskResult(key, None, "the worker process died (killed or out of memory)")
        return [done[key] for key, _ in items]


class RayExecutor:
    """Tasks on a Ray cluster (`address`), or on a local Ray started here when no address is given.

    Ray does the scheduling, the data movement and the retries: a task whose worker dies is run
    again (`retries` times) before it is reported as failed.
    """

    def __init__(self, address: str | None = None, retries: int = 1, local_cpus: int | None = None):
        self.address = address
        self.retries = retries
        self.local_cpus = local_cpus

    def _connect(self) -> Any:
        if not self.address or self.address.split(":")[0] in ("127.0.0.1", "localhost"):
            # Ray swaps loopback for the machine's network address unless told this is a single
            # host; keep a local cluster on loopback (read when ray is first imported).
            os.environ.setdefault("RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER", "0")
        import ray

        if not ray.is_initialized():
            # Loopback only: a local Ray must not listen on (or dial) the machine's other addresses.
            options: dict[str, Any] = {"include_dashboard": False, "log_to_driver": False,
                                       "ignore_reinit_error": True, "_node_ip_address": "127.0.0.1"}
            if self.address:
                options["address"] = self.address
            elif self.local_cpus:
                options["num_cpus"] = self.local_cpus
            ray.init(**options)
        return ray

    def run(self, function: Callable[..., R], items: Sequence[tuple[str, Any]],
            shared: Any = _NOTHING) -> list[TaskResult[R]]:
        ray = self._connect()
        remote = ray.remote(max_retries=self.retries, retry_exceptions=False)(_guarded)
        if shared is _NOTHING:
            references = [(key, remote.remote(function, item)) for key, item in items]
        else:
            # Into the object store once; each node fetches it once, whatever the number of tasks.
            stored = ray.put(shared)
            references = [(key, remote.remote(function, item, stored)) for key, item in items]
        results = []
        for key, reference in references:
            try:
                value, error = ray.get(reference)
            except Exception as exc:  # noqa: BLE001 - a lost worker after its retries is this task's failure
                value, error = None, f"the task was lost on the cluster after {self.retries} retries: {type(exc).__name__}"
            results.append(TaskResult(key, value, error))
        return results


def _canonical(value: Any, into: Any) -> None:
    """Feed `value` into the hash `into` in a form that does not depend on the process (hash seed, ids).

    Pickle is not that: a set's or frozenset's order changes with PYTHONHASHSEED, so a digest of
    a pickle never matches in the next shell. Sets are sorted, mappings by key, frames by value.
    """
    import dataclasses

    import pandas as pd
    from pydantic import BaseModel

    if isinstance(value, BaseModel):
        into.update(b"M" + type(value).__name__.encode() + value.model_dump_json().encode())
    elif isinstance(value, pd.DataFrame):
        into.update(b"F" + repr(list(value.columns)).encode() + repr(list(value.dtypes.astype(str))).encode())
        into.update(pd.util.hash_pandas_object(value, index=False).to_numpy().tobytes())
    elif isinstance(value, pd.Series):
        into.update(b"S" + pd.util.hash_pandas_object(value, index=False).to_numpy().tobytes())
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        into.update(b"D" + type(value).__name__.encode())
        for f in dataclasses.fields(value):
            into.update(f.name.encode())
            _canonical(getattr(value, f.name), into)
    elif isinstance(value, dict):
        into.update(b"{")
        for k in sorted(value, key=repr):
            _canonical(k, into)
            _canonical(value[k], into)
        into.update(b"}")
    elif isinstance(value, set | frozenset):
        into.update(b"<")
        for element in sorted(value, key=repr):
            _canonical(element, into)
        into.update(b">")
    elif isinstance(value, list | tuple):
        into.update(b"[")
        for element in value:
            _canonical(element, into)
        into.update(b"]")
    else:  # numbers, strings, dates, None, enums: their repr is stable
        into.update(b"V" + type(value).__name__.encode() + repr(value).encode())


def code_version() -> str:
    """A digest of the planner's and the models' source: a piece computed by other code is never reused."""
    global _CODE_VERSION
    if _CODE_VERSION is None:
        digest = hashlib.sha256()
        root = Path(__file__).resolve().parents[2]
        for folder in ("planner", "models"):
            for path in sorted((root / folder).rglob("*.py")):
                digest.update(str(path.relative_to(root)).encode() + path.read_bytes())
        _CODE_VERSION = digest.hexdigest()[:16]
    return _CODE_VERSION


_CODE_VERSION: str | None = None


def stable_digest(item: Any) -> str:
    """The digest of a piece's inputs and the code version, the same in every process and shell."""
    digest = hashlib.sha256(code_version().encode())
    _canonical(item, digest)
    return digest.hexdigest()[:16]


class TaskStore:
    """Finished task results on disk, keyed by the task and a digest of its input, for `--resume`."""

    def __init__(self, folder: Path, resume: bool):
        self.folder = folder
        self.resume = resume
        self.reused: list[str] = []

    def _path(self, key: str, item: Any) -> Path:
        digest = stable_digest(item)
        safe = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in key)[:80]
        return self.folder / f"{safe}-{digest}.pkl"

    def load(self, key: str, item: Any) -> Any | None:
        path = self._path(key, item)
        if not self.resume or not path.is_file():
            return None
        self.reused.append(key)
        return pickle.loads(path.read_bytes())

    def save(self, key: str, item: Any, value: Any) -> None:
        from planner.base import io

        with io.atomic_path(self._path(key, item)) as tmp:
            tmp.write_bytes(pickle.dumps(value))


def run_pieces(executor: Executor, function: Callable[[Any], Any], pieces: dict[str, Any],
               store: TaskStore | None = None) -> tuple[dict[str, Any], dict[str, str]]:
    """Each piece a task, in the order of `pieces`; finished ones are read from and kept in `store`.

    Returns the values of the pieces that finished (in order) and the reason of each that failed.
    """
    done = {key: value for key in pieces if store is not None and (value := store.load(key, pieces[key])) is not None}
    results = executor.run(function, [(key, piece) for key, piece in pieces.items() if key not in done])
    # Bad input found inside a piece is the whole run's input error (exit 2), every piece's problems at once.
    errors = [r.error.error for r in results if isinstance(r.error, InputError)]
    if errors:
        raise ScenarioError([p for e in errors for p in e.problems + e.warnings])
    for result in results:
        if result.ok:
            done[result.key] = result.value
            if store is not None:
                store.save(result.key, pieces[result.key], result.value)
    return {key: done[key] for key in pieces if key in done}, {r.key: r.error or "" for r in results if not r.ok}


def make_executor(workers: int, kind: str = "process", address: str | None = None) -> Executor:
    """serial (workers ≤ 1 with the default kind), a local process pool, or Ray."""
    if kind == "ray":
        return RayExecutor(address=address, local_cpus=None if address else workers)
    if kind == "serial" or workers <= 1:
        return SerialExecutor()
    return ProcessExecutor(workers)
