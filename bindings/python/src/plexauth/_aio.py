"""asyncio over libplexauth's non-blocking calls, without a thread per call.

Each asyncio event loop gets one ``PLEXAUTH_LOOP_EXTERNAL`` loop (a :class:`_Driver`): asyncio
watches its descriptor (``add_reader``) and honours its timeout (``call_later``), and both run
``plexauth_loop_process`` on the event loop's thread. An ``_async`` method starts its operation
with ``plexauth_client_<op>_start`` on that loop and awaits a future; the C completion callback
(run inside ``plexauth_loop_process``, so on the event loop's thread) takes the outcome with
``plexauth_client_<op>_finish`` and resolves the future. No library or executor thread is
involved. Cancelling the awaiting task cancels the C call (``plexauth_call_cancel``) and waits
the few milliseconds until it has ended.

A driver lives while calls are in flight on it: it is freed once idle (or, if its event loop
stops first, when the event loop is garbage-collected).
"""

import asyncio
import itertools
import threading
import weakref
from ctypes import byref, c_void_p
from typing import Any, Callable, Dict, Optional

from . import _native, _prototypes
from ._native import lib

PLEXAUTH_LOOP_EXTERNAL = _prototypes.PLEXAUTH_LOOP_EXTERNAL

#: start(loop_handle, done_fn, user_data) -> the pending call's handle (or raises).
Start = Callable[[int, Any, int], int]
#: finish(call_handle) -> the value (or raises the operation's exception).
Finish = Callable[[int], Any]


class _Pending:
    """One call in flight."""

    __slots__ = ("driver", "future", "finish", "release", "call")

    def __init__(self, driver: "_Driver", future: "asyncio.Future[Any]", finish: Finish,
                 release: Callable[[], None]) -> None:
        self.driver = driver
        self.future = future
        self.finish = finish
        self.release = release  # frees what the call kept alive (runs once, when it has ended)
        self.call: Optional[int] = None


#: user_data -> its call. Touched on event loop threads only (each key by one loop).
_PENDING: Dict[int, _Pending] = {}
_keys = itertools.count(1)


def _on_done(call: Optional[int], user_data: Optional[int]) -> None:
    """plexauth_call_done_fn: runs inside plexauth_loop_process, on the event loop's thread."""
    try:
        pending = _PENDING.pop(user_data or 0, None)
        if pending is None or call is None:
            return
        try:
            try:
                value = pending.finish(call)
            finally:
                lib().plexauth_call_free(call)
                pending.release()
        except BaseException as exc:  # the operation's error: the awaiting task raises it
            if not pending.future.done():
                pending.future.set_exception(exc)
            return
        if not pending.future.done():
            pending.future.set_result(value)
    except BaseException:  # never unwind into C
        pass


_DONE = _native.CALL_DONE_FN(_on_done)  # kept alive for the life of the module


class _Driver:
    """One external-mode plexauth loop run by one asyncio event loop."""

    def __init__(self, aloop: asyncio.AbstractEventLoop) -> None:
        from .sdk import _failure

        L = lib()
        out, err = c_void_p(), c_void_p()
        status = L.plexauth_loop_new(byref(out), PLEXAUTH_LOOP_EXTERNAL, byref(err))
        if status != 0:
            raise _failure("loop", status, err)
        assert out.value is not None
        self.handle: int = out.value
        self.aloop = aloop
        self.calls = 0
        self.timer: Optional[asyncio.TimerHandle] = None
        self.closed = False
        # If the event loop stops with calls in flight and is dropped, free the C loop anyway.
        self._finalizer = weakref.finalize(self, L.plexauth_loop_free, self.handle)
        self.fd = L.plexauth_loop_fd(self.handle)
        aloop.add_reader(self.fd, self.process)

    def process(self) -> None:
        """Runs the loop's due work (completions resolve their futures) and re-arms the timer."""
        if self.closed:
            return
        L, err = lib(), c_void_p()
        L.plexauth_loop_process(self.handle, byref(err))
        if err.value:
            L.plexauth_error_free(err.value)
        self.schedule()

    def schedule(self) -> None:
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None
        if self.closed:
            return
        timeout = lib().plexauth_loop_timeout_ms(self.handle)
        if timeout >= 0:
            self.timer = self.aloop.call_later(timeout / 1000.0, self.process)

    def started(self) -> None:
        self.calls += 1
        self.schedule()  # (the descriptor also becomes readable: a call was started)

    def ended(self) -> None:
        self.calls -= 1
        if self.calls == 0:
            # After the awaiting task has resumed: a call it starts next keeps the loop (and its
            # connections) alive.
            self.aloop.call_soon(self.close_if_idle)

    def close_if_idle(self) -> None:
        if self.calls or self.closed:
            return
        self.closed = True
        with _drivers_lock:
            if _drivers.get(self.aloop) is self:
                del _drivers[self.aloop]
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None
        self.aloop.remove_reader(self.fd)
        self._finalizer()  # plexauth_loop_free, now


_drivers: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _Driver]" = weakref.WeakKeyDictionary()
_drivers_lock = threading.Lock()


def _driver(aloop: asyncio.AbstractEventLoop) -> _Driver:
    with _drivers_lock:
        driver = _drivers.get(aloop)
    if driver is None or driver.closed:
        driver = _Driver(aloop)
        with _drivers_lock:
            _drivers[aloop] = driver
    return driver


def pending_calls() -> int:
    """Calls in flight on the running event loop's driver (0 without one); for tests."""
    driver = _drivers.get(asyncio.get_running_loop())
    return 0 if driver is None or driver.closed else int(lib().plexauth_loop_pending(driver.handle))


async def run(start: Start, finish: Finish, release: Callable[[], None]) -> Any:
    """Starts a call on the running event loop's driver and awaits its outcome.

    ``release`` runs once when the call has ended (or could not start)."""
    aloop = asyncio.get_running_loop()
    try:
        driver = _driver(aloop)
    except BaseException:
        release()
        raise
    key = next(_keys)
    future: "asyncio.Future[Any]" = aloop.create_future()
    pending = _Pending(driver, future, finish, release)
    _PENDING[key] = pending
    try:
        call = start(driver.handle, _DONE, key)
    except BaseException:
        del _PENDING[key]
        release()
        driver.calls += 1
        driver.ended()
        raise
    pending.call = call
    driver.started()
    future.add_done_callback(lambda _f: driver.ended())
    try:
        return await asyncio.shield(future)
    except asyncio.CancelledError:
        if not future.done():
            lib().plexauth_call_cancel(call)  # completes with PLEXAUTH_E_CANCELLED at the next turn
            await asyncio.wait([future])  # the C call has ended when the task does
        if not future.cancelled():
            future.exception()  # retrieved: the task's cancellation is what is raised
        raise
