//! A bound on each compile of a template.
//!
//! Typst cannot be interrupted: a template that loops (a loop of loops, a
//! range of a billion) holds its thread for as long as it runs, and one
//! that builds an enormous value fills the memory. Typst itself stops deep
//! recursion (80 calls) and a `while` loop of 10,000 turns with an error,
//! but nothing else. So each compile is watched from a thread of its own;
//! once it runs past its time or the process past its memory bound, the
//! watchdog finds where the template is (it turns Typst's timing on for a
//! moment and takes the line most of its events come from) and hands a
//! diagnostic with that file and line to the [`Watchdog`]'s owner. The
//! thread that runs the compile cannot be stopped, so the owner ends the
//! process: `render`, `check` and `deck` exit (nothing was written yet, the
//! previous outputs stay), `watch` starts itself again.

use std::collections::HashMap;
use std::num::NonZeroU64;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use typst::syntax::Span;

use super::world::BanmianWorld;
use crate::Diagnostic;

/// How often a running compile is looked at.
const TICK: Duration = Duration::from_millis(50);
/// How long Typst's timing runs to find where a compile is.
const SAMPLE: Duration = Duration::from_millis(300);

/// The bounds of one compile.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Limits {
    /// The longest a compile may run.
    pub time: Duration,
    /// The most memory (resident, of the whole process) while it runs.
    pub memory: u64,
}

impl Default for Limits {
    /// 30 s (the example takes a fifth of a second; a report at the bounds
    /// of [`super::bounds`] a few seconds) and 4 GiB.
    fn default() -> Self {
        Self {
            time: Duration::from_secs(30),
            memory: 4 << 30,
        }
    }
}

/// What the owner does with a compile that ran past its bounds: the
/// diagnostic names the template's file and line.
pub type Overrun = Arc<dyn Fn(Diagnostic) + Send + Sync>;

/// Watches compiles and calls its owner on an overrun.
#[derive(Clone)]
pub struct Watchdog {
    limits: Limits,
    overrun: Overrun,
}

impl std::fmt::Debug for Watchdog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Watchdog")
            .field("limits", &self.limits)
            .finish_non_exhaustive()
    }
}

impl Watchdog {
    /// A watchdog with these bounds; `overrun` is called (on the watching
    /// thread) when a compile runs past them, and should not return while
    /// the compile runs on: it cannot be stopped.
    pub fn new(limits: Limits, overrun: impl Fn(Diagnostic) + Send + Sync + 'static) -> Self {
        Self {
            limits,
            overrun: Arc::new(overrun),
        }
    }

    /// The bounds.
    pub fn limits(&self) -> Limits {
        self.limits
    }

    /// Runs `compile` (of `template` in `world`) while watching it.
    pub(super) fn watch<T>(
        &self,
        world: &BanmianWorld,
        template: &str,
        compile: impl FnOnce() -> T,
    ) -> T {
        std::thread::scope(|scope| {
            let (done, stop) = channel::<()>();
            scope.spawn(move || self.guard(world, template, &stop));
            let out = compile();
            drop(done);
            out
        })
    }

    /// Waits for the compile to end, or for it to run past its bounds.
    fn guard(&self, world: &BanmianWorld, template: &str, stop: &Receiver<()>) {
        let started = Instant::now();
        loop {
            match stop.recv_timeout(TICK) {
                Err(RecvTimeoutError::Timeout) => {}
                _ => return,
            }
            let over = if started.elapsed() > self.limits.time {
                format!(
                    "the template did not finish within {} s (a loop or a recursion that does not end?)",
                    self.limits.time.as_secs_f64()
                )
            } else if resident().is_some_and(|bytes| bytes > self.limits.memory) {
                format!(
                    "the template took more than {:.1} GB of memory (a huge range or array?)",
                    self.limits.memory as f64 / f64::from(1 << 30)
                )
            } else {
                continue;
            };
            let Some(diagnostic) = diagnose(world, template, over, stop) else {
                return;
            };
            (self.overrun)(diagnostic);
            return;
        }
    }
}

/// The overrun as a diagnostic, placed where the template is busy; `None`
/// when the compile ended meanwhile.
fn diagnose(
    world: &BanmianWorld,
    template: &str,
    message: String,
    stop: &Receiver<()>,
) -> Option<Diagnostic> {
    let hint =
        "the compile was stopped there; fix the template (the last good outputs stay on disk)";
    let diagnostic = Diagnostic::error(message).with_hint(hint);
    let busy = busiest(stop)?;
    Some(match busy {
        Some(span) => world.place(span, diagnostic),
        None => {
            use typst_kit::diagnostics::DiagnosticWorld as _;
            let file = world.name(super::world::builtin_id(template));
            let note = "its line could not be told: it was busy inside one call (a huge range?) or a loop that calls no function";
            diagnostic
                .in_file(std::path::Path::new(&file))
                .with_hint(note)
        }
    })
}

/// The span most of Typst's timed events came from in a short sample: a
/// loop's body, or the call it repeats. `None` (outer) when the compile
/// ended meanwhile.
fn busiest(stop: &Receiver<()>) -> Option<Option<Span>> {
    typst_timing::clear();
    typst_timing::enable();
    let ended = !matches!(stop.recv_timeout(SAMPLE), Err(RecvTimeoutError::Timeout));
    typst_timing::disable();
    let mut counts: HashMap<NonZeroU64, usize> = HashMap::new();
    let _ = typst_timing::export_json(std::io::sink(), |raw| {
        *counts.entry(raw).or_default() += 1;
        (String::new(), 0)
    });
    if ended {
        return None;
    }
    let busiest = counts
        .into_iter()
        .max_by_key(|&(raw, n)| (n, std::cmp::Reverse(raw)))
        .map(|(raw, _)| Span::from_raw(raw));
    Some(busiest)
}

/// The process's resident memory in bytes, where the system tells it.
fn resident() -> Option<u64> {
    #[cfg(target_os = "linux")]
    {
        let status = std::fs::read_to_string("/proc/self/status").ok()?;
        let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
        let kb: u64 = line["VmRSS:".len()..]
            .trim()
            .trim_end_matches("kB")
            .trim()
            .parse()
            .ok()?;
        Some(kb << 10)
    }
    #[cfg(not(target_os = "linux"))]
    {
        None
    }
}
