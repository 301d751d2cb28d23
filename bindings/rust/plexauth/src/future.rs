//! Runtime-agnostic futures over libplexauth's non-blocking calls: [`CallFuture`] and [`Loop`].
//!
//! Every operation has an `_async` twin (`get_token_details_async`, `sign_in_with_async`, ...)
//! that starts `plexauth_client_<op>_start` on a thread-mode loop (the client's own, or a
//! [`Loop`] given with [`CallOptions::on_loop`](crate::CallOptions::on_loop)) and returns a
//! [`CallFuture`]. The library's completion callback (on the loop's thread) records that the call
//! ended and wakes the task's stored [`Waker`]; the next poll takes the outcome with
//! `plexauth_client_<op>_finish`. No runtime is assumed (tokio, async-std, smol, a hand-written
//! executor...). Dropping the future before it completes cancels the call and frees it.

use std::fmt;
use std::future::Future;
use std::marker::PhantomData;
use std::os::raw::c_void;
use std::pin::Pin;
use std::ptr::{self, NonNull};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};

use plexauth_sys as sys;

use crate::client::Client;
use crate::error::{Error, ErrorKind, Result};
use crate::options::{CallOptions, CancelToken};

/// An event loop owning one thread that runs many calls at once (libplexauth's
/// `PLEXAUTH_LOOP_THREAD`). A client's `_async` calls use the client's own loop unless
/// [`CallOptions::on_loop`](crate::CallOptions::on_loop) names one: share one loop between
/// clients, or give a group of calls a thread of its own. Clones share the loop; when the last
/// clone (and the last future started on it) is dropped, the loop's thread stops.
#[derive(Clone)]
pub struct Loop(Arc<LoopHandle>);

struct LoopHandle(NonNull<sys::plexauth_loop>);

// SAFETY: the header allows a loop to be used from any thread (starts, cancels, frees of calls);
// it is freed once, by the last owner, never from one of its own callbacks (ours never drop it).
unsafe impl Send for LoopHandle {}
unsafe impl Sync for LoopHandle {}

impl Drop for LoopHandle {
    fn drop(&mut self) {
        // SAFETY: the last owner; every future started on it held a clone, so none is pending.
        unsafe { sys::plexauth_loop_free(self.0.as_ptr()) }
    }
}

impl Loop {
    /// A new loop and its thread.
    pub fn new() -> Result<Loop> {
        let mut out = ptr::null_mut();
        let mut err = ptr::null_mut();
        // SAFETY: out-params are valid; the loop is ours on success.
        let status = unsafe { sys::plexauth_loop_new(&mut out, sys::PLEXAUTH_LOOP_THREAD, &mut err) };
        if status != sys::PLEXAUTH_OK {
            // SAFETY: `err` is NULL or an error object we now own.
            return Err(unsafe { Error::from_raw(status, err) });
        }
        let raw =
            NonNull::new(out).ok_or_else(|| Error::new(ErrorKind::Internal, "plexauth_loop_new returned NULL"))?;
        Ok(Loop(Arc::new(LoopHandle(raw))))
    }

    /// Calls started on the loop and not completed yet (a connect or a JWT login counts once).
    pub fn pending(&self) -> usize {
        // SAFETY: the loop is live while `self` exists.
        unsafe { sys::plexauth_loop_pending(self.as_ptr()) }
    }

    pub(crate) fn as_ptr(&self) -> *mut sys::plexauth_loop {
        self.0 .0.as_ptr()
    }
}

impl fmt::Debug for Loop {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Loop").field("pending", &self.pending()).finish()
    }
}

/// What the completion callback and the future share: whether the call ended, and the waker of
/// the task that polled last.
#[derive(Default)]
struct Shared {
    state: Mutex<(bool, Option<Waker>)>,
}

/// The completion callback (`plexauth_call_done_fn`): on the loop's thread, once, unless the
/// call was freed first. `user_data` is the future's `Shared`, which outlives the call handle.
unsafe extern "C" fn on_done(_call: *mut sys::plexauth_call, user_data: *mut c_void) {
    // Never unwind into C (a waker of a foreign executor might panic).
    let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        // SAFETY: the future frees the call (which waits for a running callback) before `Shared`.
        let shared = unsafe { &*(user_data as *const Shared) };
        let waker = {
            let mut state = shared.state.lock().unwrap_or_else(|e| e.into_inner());
            state.0 = true;
            state.1.take()
        };
        if let Some(waker) = waker {
            waker.wake();
        }
    }));
}

type Finish<T> = Box<dyn FnOnce(*mut sys::plexauth_call) -> Result<T> + Send>;

/// The outcome of one `_async` call, as a [`Future`] (runtime-agnostic, `Send`).
///
/// The call starts when the `_async` method is called, not at the first poll. Dropping the
/// future before it completes cancels the call (`plexauth_call_free`, which cancels it first and
/// waits for a callback running on the loop's thread). It borrows the [`Client`]: the client
/// cannot be dropped while a call of it is pending; share an `Arc<Client>` with spawned tasks.
#[must_use = "the call is cancelled when the future is dropped"]
pub struct CallFuture<'a, T> {
    call: *mut sys::plexauth_call,
    shared: Box<Shared>,
    finish: Option<Finish<T>>,
    failed: Option<Error>,
    // Kept alive while the call runs.
    _loop: Option<Loop>,
    _cancel: Option<CancelToken>,
    _client: PhantomData<&'a Client>,
}

// SAFETY: the call handle may be polled, finished and freed from any thread (the header says so
// of plexauth_call_*); the rest is Send.
unsafe impl<T: Send> Send for CallFuture<'_, T> {}

impl<T> Unpin for CallFuture<'_, T> {}

impl<T> fmt::Debug for CallFuture<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CallFuture").field("pending", &!self.call.is_null()).finish_non_exhaustive()
    }
}

impl<'a, T> CallFuture<'a, T> {
    /// A future that is ready at once with `error` (the call could not start).
    pub(crate) fn failed(error: Error) -> Self {
        CallFuture {
            call: ptr::null_mut(),
            shared: Box::default(),
            finish: None,
            failed: Some(error),
            _loop: None,
            _cancel: None,
            _client: PhantomData,
        }
    }
}

impl<T> Future for CallFuture<'_, T> {
    type Output = Result<T>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<T>> {
        let this = self.get_mut();
        if let Some(error) = this.failed.take() {
            return Poll::Ready(Err(error));
        }
        if this.call.is_null() {
            return Poll::Ready(Err(Error::new(ErrorKind::InvalidArgument, "the call's outcome was already taken")));
        }
        {
            let mut state = this.shared.state.lock().unwrap_or_else(|e| e.into_inner());
            if !state.0 {
                match &state.1 {
                    Some(w) if w.will_wake(cx.waker()) => {}
                    _ => state.1 = Some(cx.waker().clone()),
                }
                return Poll::Pending;
            }
        }
        let call = std::mem::replace(&mut this.call, ptr::null_mut());
        let outcome = match this.finish.take() {
            Some(finish) => finish(call),
            None => Err(Error::new(ErrorKind::Internal, "no finish function")),
        };
        // SAFETY: ours, completed; freed once.
        unsafe { sys::plexauth_call_free(call) };
        Poll::Ready(outcome)
    }
}

impl<T> Drop for CallFuture<'_, T> {
    fn drop(&mut self) {
        if !self.call.is_null() {
            // SAFETY: ours. Cancels a pending call; once it returns the callback will not run (or
            // has finished running), so `shared` may be dropped after it.
            unsafe { sys::plexauth_call_free(self.call) };
        }
    }
}

impl Client {
    /// Starts one non-blocking call: builds the C options, calls `start` on the options' loop (or
    /// the client's own) and returns the future whose poll takes the outcome with `finish`.
    pub(crate) fn start_call<T>(
        &self,
        opts: &CallOptions,
        start: impl FnOnce(
            *mut *mut sys::plexauth_call,
            *mut sys::plexauth_client,
            *const sys::plexauth_call_options,
            *mut sys::plexauth_loop,
            sys::plexauth_call_done_fn,
            *mut c_void,
            *mut *mut sys::plexauth_error,
        ) -> sys::plexauth_status,
        finish: Finish<T>,
    ) -> CallFuture<'_, T> {
        let raw_opts = match opts.to_raw() {
            Ok(o) => o,
            Err(e) => return CallFuture::failed(e),
        };
        let opts_ptr = raw_opts.as_ref().map_or(ptr::null(), |o| o.as_ptr().cast_const());
        let event_loop = opts.event_loop().cloned();
        let loop_ptr = event_loop.as_ref().map_or(ptr::null_mut(), Loop::as_ptr);
        let shared: Box<Shared> = Box::default();
        let user_data = (&*shared as *const Shared).cast_mut().cast::<c_void>();
        let mut call = ptr::null_mut();
        let mut err = ptr::null_mut();
        let status = start(&mut call, self.as_ptr(), opts_ptr, loop_ptr, Some(on_done), user_data, &mut err);
        if status != sys::PLEXAUTH_OK {
            // SAFETY: `err` is NULL or an error object we now own.
            return CallFuture::failed(unsafe { Error::from_raw(status, err) });
        }
        if call.is_null() {
            return CallFuture::failed(Error::new(ErrorKind::Internal, "the library returned no call"));
        }
        CallFuture {
            call,
            shared,
            finish: Some(finish),
            failed: None,
            _loop: event_loop,
            _cancel: opts.cancel_token().cloned(),
            _client: PhantomData,
        }
    }
}

/// The outcome of a completed call of an operation with a result: its `_finish` entry point, then
/// `map` over the owned result.
pub(crate) fn finish_result<R: crate::models::CResult + 'static, T: 'static>(
    finish: unsafe extern "C" fn(
        *mut *mut R,
        *mut sys::plexauth_call,
        *mut *mut sys::plexauth_error,
    ) -> sys::plexauth_status,
    map: unsafe fn(crate::util::Owned<R>) -> T,
) -> Finish<T> {
    Box::new(move |call| {
        let mut out = ptr::null_mut();
        let mut err = ptr::null_mut();
        // SAFETY: `call` is a completed call of this operation; out-params are valid.
        let status = unsafe { finish(&mut out, call, &mut err) };
        // Taken first, so that a result is freed whatever the status.
        let result = crate::util::Owned::from_raw(out, R::FREE);
        if status != sys::PLEXAUTH_OK {
            // SAFETY: `err` is NULL or an error object we now own.
            return Err(unsafe { Error::from_raw(status, err) });
        }
        let result = result.ok_or_else(|| Error::new(ErrorKind::Internal, "the library returned no result"))?;
        // SAFETY: `result` is a live result of the type `map` expects.
        Ok(unsafe { map(result) })
    })
}

/// The outcome of a completed call of an operation without a result (204).
pub(crate) fn finish_no_result(
    finish: unsafe extern "C" fn(*mut sys::plexauth_call, *mut *mut sys::plexauth_error) -> sys::plexauth_status,
) -> Finish<()> {
    Box::new(move |call| {
        let mut err = ptr::null_mut();
        // SAFETY: `call` is a completed call of this operation.
        let status = unsafe { finish(call, &mut err) };
        if status != sys::PLEXAUTH_OK {
            // SAFETY: `err` is NULL or an error object we now own.
            return Err(unsafe { Error::from_raw(status, err) });
        }
        Ok(())
    })
}

/// `let x = try_start!(expr);`: the value, or a [`CallFuture`] failed with the error.
macro_rules! try_start {
    ($e:expr) => {
        match $e {
            Ok(v) => v,
            Err(e) => return $crate::future::CallFuture::failed(e),
        }
    };
}
pub(crate) use try_start;
