//! The event loop: timers and immediates (kept by the bundled JS), promise
//! jobs and `process.nextTick` callbacks, with the time limits checked
//! between jobs and every number from JavaScript checked before a sleep.

use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use rquickjs::{Ctx, Function, Object, Value};

use super::errors::{exception_error, js_error};
use super::{Runtime, RuntimeState};
use crate::error::{Error, Result};

/// What one turn of the event loop found to do.
enum Turn {
    Ran,
    Wait(f64),
    Idle,
}

impl Runtime {
    /// Runs the event loop until nothing is pending: microtasks, immediates and
    /// timers (unref'd timers do not keep it alive), in Node's order.
    ///
    /// An exception thrown by a callback, or a promise rejection left unhandled
    /// at the end of a macrotask, ends the loop with that error.
    pub fn run_until_idle(&self) -> Result<()> {
        self.run_loop(None, || Ok(false)).map(|_| ())
    }

    /// Like [`Runtime::run_until_idle`], but returns at `deadline` at the latest.
    /// `Ok(true)` means the loop went idle, `Ok(false)` that work is still pending.
    pub fn run_until(&self, deadline: Instant) -> Result<bool> {
        self.run_loop(Some(deadline), || Ok(false))
    }

    /// Runs turns until the loop goes idle (`Ok(true)`), `deadline` passes
    /// (`Ok(false)`) or `done` says so (`Ok(true)`); `done` is asked before
    /// every turn.
    pub(super) fn run_loop(
        &self,
        deadline: Option<Instant>,
        done: impl FnMut() -> Result<bool>,
    ) -> Result<bool> {
        // The whole loop is one call for the time limits.
        let clock = &self.state.clock;
        let armed = clock.begin().map_err(Error::Timeout)?;
        let outcome = self.run_turns(deadline, done);
        if armed {
            clock.end();
        }
        outcome
    }

    fn run_turns(
        &self,
        deadline: Option<Instant>,
        mut done: impl FnMut() -> Result<bool>,
    ) -> Result<bool> {
        let clock = &self.state.clock;
        if done()? {
            return Ok(true);
        }
        loop {
            let turn = self.enter(|ctx, internals| {
                let take: Function = internals.get("takeTask").map_err(|e| js_error(ctx, e))?;
                let task: Value = take.call(()).map_err(|e| js_error(ctx, e))?;
                if let Some(callback) = task.as_function() {
                    callback.call::<_, ()>(()).map_err(|e| js_error(ctx, e))?;
                    Ok(Turn::Ran)
                } else if let Some(ms) = task.as_number() {
                    Ok(Turn::Wait(ms))
                } else {
                    Ok(Turn::Idle)
                }
            })?;
            // Before the rejection check: a promise `done` waits for is
            // handled by its waiter, even if it just rejected.
            if done()? {
                return Ok(true);
            }
            self.check_rejections()?;
            match turn {
                Turn::Ran => {}
                Turn::Idle => return Ok(true),
                Turn::Wait(ms) => {
                    let mut wait = timer_wait(ms);
                    if let Some(left) = clock.remaining() {
                        if left < wait {
                            std::thread::sleep(left);
                            return Err(Error::Timeout(clock.reason()));
                        }
                    }
                    if let Some(deadline) = deadline {
                        let left = deadline.saturating_duration_since(Instant::now());
                        if left < wait {
                            std::thread::sleep(left);
                            return Ok(false);
                        }
                        wait = wait.min(left);
                    }
                    std::thread::sleep(wait);
                }
            }
            if deadline.is_some_and(|d| Instant::now() >= d) {
                return Ok(false);
            }
        }
    }

    /// Reports the first promise rejection that is still unhandled.
    fn check_rejections(&self) -> Result<()> {
        self.enter(|ctx, internals| {
            let take: Function = internals
                .get("takeUnhandledRejection")
                .map_err(|e| js_error(ctx, e))?;
            let found: Value = take.call(()).map_err(|e| js_error(ctx, e))?;
            let Some(found) = found.as_object() else {
                return Ok(());
            };
            let reason: Value = found.get("reason").map_err(|e| js_error(ctx, e))?;
            match exception_error(ctx, reason) {
                Error::Exception(e) | Error::ModuleNotFound { exception: e, .. } => {
                    Err(Error::UnhandledRejection(e))
                }
                other => Err(other),
            }
        })
    }
}

/// The longest a timer may wait (Node's `TIMEOUT_MAX`, 2^31 - 1 ms).
const TIMEOUT_MAX_MS: f64 = 2_147_483_647.0;

/// How long to sleep for a timer due in `ms` milliseconds. The number came
/// from JavaScript, so it is never trusted: NaN and negatives wait nothing,
/// anything beyond `TIMEOUT_MAX` (infinity included) waits `TIMEOUT_MAX`.
fn timer_wait(ms: f64) -> Duration {
    let ms = if ms.is_nan() {
        0.0
    } else {
        ms.clamp(0.0, TIMEOUT_MAX_MS)
    };
    Duration::from_micros((ms * 1000.0) as u64)
}

/// Runs `process.nextTick` callbacks, then promise jobs, until both are empty.
pub(crate) fn drain_jobs<'js>(
    ctx: &Ctx<'js>,
    internals: &Object<'js>,
    state: &RuntimeState,
) -> Result<()> {
    loop {
        if state.ticks.swap(false, Ordering::Relaxed) {
            let run: Function = internals.get("runTicks").map_err(|e| js_error(ctx, e))?;
            run.call::<_, ()>(()).map_err(|e| js_error(ctx, e))?;
        }
        run_promise_jobs(ctx, state)?;
        if !state.ticks.load(Ordering::Relaxed) {
            return Ok(());
        }
    }
}

/// How many jobs keep running after the deadline fired, while the engine's
/// interrupt ends each of them: enough for the engine to poll its interrupt
/// handler a few times (it does so every 10,000 checks), so that an `await`
/// loop is ended and the runtime stays usable; few enough to bound a job storm.
const JOB_GRACE_JOBS: u32 = 50_000;
/// And at most this long, whatever the jobs do.
const JOB_GRACE: Duration = Duration::from_millis(200);

/// Runs promise jobs until none is left, checking the time limits between
/// jobs: a script that queues jobs forever (each job queueing more) is ended by
/// its deadline like a loop. A job that ends with an exception nothing can
/// catch (the deadline, running out of memory) ends the draining with it.
fn run_promise_jobs(ctx: &Ctx<'_>, state: &RuntimeState) -> Result<()> {
    let timed = state.clock.is_timed();
    // SAFETY: the context is live and entered (its lock is held).
    let engine = unsafe { rquickjs::qjs::JS_GetRuntime(ctx.as_raw().as_ptr()) };
    // Set once the deadline fired: jobs still run (the interrupt ends them
    // early) until the queue is empty or the grace period is over.
    let mut grace: Option<(Instant, u32)> = None;
    let mut jobs: u32 = 0;
    loop {
        let mut job_ctx = std::mem::MaybeUninit::<*mut rquickjs::qjs::JSContext>::uninit();
        // SAFETY: the engine is live; the out-pointer is written when a job ran.
        let ran = unsafe { rquickjs::qjs::JS_ExecutePendingJob(engine, job_ctx.as_mut_ptr()) };
        if ran == 0 {
            return Ok(());
        }
        if ran < 0 {
            // The exception is left pending in the job's context: this one,
            // the only context of a jsbox engine.
            return Err(exception_error(ctx, ctx.catch()));
        }
        jobs = jobs.wrapping_add(1);
        match grace {
            None if timed && state.clock.expired() => {
                grace = Some((Instant::now() + JOB_GRACE, jobs));
            }
            Some((until, from))
                if jobs.wrapping_sub(from) >= JOB_GRACE_JOBS
                    || (jobs.is_multiple_of(64) && Instant::now() >= until) =>
            {
                return Err(Error::Timeout(state.clock.reason()));
            }
            _ => {}
        }
    }
}
