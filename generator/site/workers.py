"""One language per core: run a function for each language in a forked process of its own and
collect the results, with the care that a build which can be interrupted or killed needs.

- Forked, so that each worker has the checked vault and graph the function holds without
  copying them through a pipe; each sends its result, or its exception, back through a pipe of
  its own. (Not a process pool: a pool's workers share one job queue and its lock, and a worker
  stopped while it holds that lock leaves the other waiting for ever.)
- A worker dies with its parent (PR_SET_PDEATHSIG on Linux, a watching thread elsewhere), and
  SIGTERM unwinds it as Ctrl-C does, so that it stops its Pagefind and releases the cache lock.
- When one language fails, or the build is interrupted, the others are stopped at once.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import multiprocessing
import multiprocessing.connection
import os
import pickle
import signal
import sys
import threading
import time
import traceback
from collections.abc import Callable
from multiprocessing.connection import Connection
from types import FrameType
from typing import TypeVar

from ..model import Language
from .errors import EngineError

Job = TypeVar("Job")
Result = TypeVar("Result")


def per_language(jobs: dict[Language, Job], work: Callable[[Job], Result], parallel: bool = True,
                 bars: bool = False) -> dict[Language, Result]:
    """`work(job)` for every language's job, one process per language when there are cores
    for it, else one after the other here; results in the jobs' order. `bars`: the workers
    draw progress bars (progress.py), which share the terminal's lock."""
    can_fork = "fork" in multiprocessing.get_all_start_methods()
    if not parallel or not can_fork or (os.cpu_count() or 1) < 2 or len(jobs) < 2:
        return {language: work(job) for language, job in jobs.items()}
    context = multiprocessing.get_context("fork")
    if bars:
        from tqdm import tqdm

        tqdm.set_lock(context.RLock())  # the workers' bars share the terminal, one line each
    workers: dict[Language, tuple[multiprocessing.process.BaseProcess, Connection]] = {}
    try:
        for language, job in jobs.items():
            receive, send = context.Pipe(duplex=False)
            # The worker inherits every read end made so far, its own and its siblings': it
            # closes them, so that once the parent is gone its writes fail instead of filling
            # a pipe nobody reads.
            inherited = [receive, *(other for _, other in workers.values())]
            process = context.Process(target=_work_in_worker,
                                      args=(work, job, send, inherited, os.getpid()),
                                      name=f"kb-build-{language}")
            process.start()
            send.close()
            workers[language] = (process, receive)
        results: dict[Language, Result] = {}
        pending = {receive: language for language, (_, receive) in workers.items()}
        while pending:
            for ready in multiprocessing.connection.wait(list(pending)):
                assert isinstance(ready, Connection)
                language = pending.pop(ready)
                try:
                    outcome, value = ready.recv()
                except EOFError:
                    raise EngineError(f"the {language} build ended without a result") from None
                if outcome == "error":
                    raise value
                results[language] = value
        return {language: results[language] for language in jobs}
    except BaseException:
        _stop([process for process, _ in workers.values()])
        raise
    finally:
        for worker, receive in workers.values():
            worker.join()
            receive.close()


def _work_in_worker(work: Callable[[Job], Result], job: Job, send: Connection,
                    inherited: list[Connection], parent: int) -> None:
    # SIGTERM unwinds the worker as Ctrl-C does, so that subprocess.run stops its Pagefind.
    signal.signal(signal.SIGTERM, _raise_interrupt)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    for connection in inherited:
        connection.close()
    _die_with(parent)
    try:
        result: tuple[str, object] = ("ok", work(job))
    except BaseException as error:  # the parent re-raises it
        result = ("error", _sendable(error))
    try:
        send.send(result)
    except (KeyboardInterrupt, BrokenPipeError):
        pass  # the parent stopped this worker (another language failed) and reads no more
    finally:
        send.close()


_PR_SET_PDEATHSIG = 1  # linux/prctl.h


def _die_with(parent: int) -> None:
    """A worker must not outlive the build that started it (killed with SIGKILL, the parent
    cannot stop it): it would go on holding the cache lock, and, its result unread, block on a
    full pipe for ever. On Linux the kernel sends it SIGTERM when the parent dies
    (PR_SET_PDEATHSIG); elsewhere a thread watches for the parent's death. Either way the
    worker unwinds as on Ctrl-C, stopping its Pagefind."""
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        if libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0) == 0:
            if os.getppid() != parent:  # the parent died before the call
                os.kill(os.getpid(), signal.SIGTERM)
            return

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os.kill(os.getpid(), signal.SIGTERM)

    threading.Thread(target=watch, name="kb-parent-watch", daemon=True).start()


def _raise_interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def _sendable(error: BaseException) -> BaseException:
    """The worker's exception, with its traceback as a note, or a RuntimeError saying what it
    was when it cannot be pickled."""
    error.add_note("in the build process:\n" + "".join(traceback.format_exception(error)))
    try:
        pickle.dumps(error)
        return error
    except Exception:
        return RuntimeError(f"{type(error).__name__}: {error}")


def _stop(processes: list[multiprocessing.process.BaseProcess]) -> None:
    """Interrupted, or one language failed: stop the other workers now instead of waiting for
    a site that is thrown away (CI kills a job that does not stop within seconds, which would
    leave the staging folder behind)."""
    for process in processes:
        if process.is_alive():
            process.terminate()  # SIGTERM: the worker unwinds (_work_in_worker)
    for process in processes:
        process.join(timeout=10)
        if process.is_alive():
            process.kill()
