//! The progress display: a bar on standard error that counts the files of the tree a long
//! run reads (`preview`, `apply`, `audit`, `sync`, `check`), for a person at a terminal.
//!
//! The command line installs it once per process ([`install`]), for the commands that clear it
//! before they print; the library tells it when a phase starts ([`phase`]: a name and the
//! files it will go through) and when a file is done ([`advance`]). Without [`install`] (the library used on its own, the tests) all of it does
//! nothing. The bar shows only when all of these hold:
//! - standard error is a terminal (indicatif's `ProgressDrawTarget::stderr()` draws nothing
//!   on a file or a pipe), and `CI` is not set (a CI log is no terminal, even when a runner
//!   gives it a pseudo-terminal);
//! - the run is still going after [`DELAY`]: a short run draws nothing at all;
//! - `-q` was not given.
//!
//! The command clears it ([`clear`]) before it prints its report and summary, so the bar
//! never mixes with them.

use std::sync::{Mutex, OnceLock};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// How long a run goes before its progress shows.
pub const DELAY: Duration = Duration::from_secs(1);

/// The bar and whether it may still be drawn.
struct Display {
    bar: ProgressBar,
    /// Set by [`clear`]: the bar is gone for good, the timer must not show it again.
    cleared: Mutex<bool>,
}

static DISPLAY: OnceLock<Display> = OnceLock::new();

/// Sets up the progress display of this process: hidden, and after [`DELAY`] drawn on
/// standard error if it is a terminal, `enabled` is true and `CI` is not set. A second call
/// does nothing.
///
/// `REBRAND_PROGRESS_DELAY_MS` replaces the delay (the tests use 0 to prove that a pipe gets
/// nothing even from a bar that would show at once).
pub fn install(enabled: bool) {
    let in_ci = std::env::var_os("CI").is_some_and(|v| !v.is_empty());
    if !enabled || in_ci {
        return;
    }
    // Until a phase knows its files, a spinner: the walk of a large tree counts nothing.
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden())
        .with_style(style("{spinner} reading the tree, {elapsed}"));
    if DISPLAY
        .set(Display {
            bar,
            cleared: Mutex::new(false),
        })
        .is_err()
    {
        return;
    }
    let delay = std::env::var("REBRAND_PROGRESS_DELAY_MS")
        .ok()
        .and_then(|ms| ms.parse().ok())
        .map_or(DELAY, Duration::from_millis);
    // A timer thread rather than a check on each file: a run that is slow before its first
    // file (a large walk) still shows that it is working.
    std::thread::spawn(move || {
        std::thread::sleep(delay);
        let Some(display) = DISPLAY.get() else { return };
        let cleared = display.cleared.lock().unwrap_or_else(|e| e.into_inner());
        if !*cleared {
            display.bar.set_draw_target(ProgressDrawTarget::stderr());
            display.bar.enable_steady_tick(Duration::from_millis(100));
        }
    });
}

/// A phase of the run begins: `name` (`reading`, `auditing`, `writing`) over `files` files;
/// the count starts at 0.
pub fn phase(name: &'static str, files: usize) {
    if let Some(display) = DISPLAY.get() {
        // The count first: each setter may draw, and a frame must not show the old count.
        display.bar.set_length(files as u64);
        display.bar.set_position(0);
        display
            .bar
            .set_style(style("{spinner} {msg:>9} {bar:30} {pos}/{len} files, {elapsed}"));
        display.bar.set_message(name);
    }
}

/// One more file of the phase is done (from any thread).
pub fn advance() {
    if let Some(display) = DISPLAY.get() {
        display.bar.inc(1);
    }
}

/// The style of `template`, the bar drawn with `=>`.
fn style(template: &str) -> ProgressStyle {
    ProgressStyle::with_template(template)
        .expect("the template parses")
        .progress_chars("=> ")
}

/// Erases the bar for good, if it was drawn; what the command prints next starts on a clean
/// line.
pub fn clear() {
    if let Some(display) = DISPLAY.get() {
        let mut cleared = display.cleared.lock().unwrap_or_else(|e| e.into_inner());
        if !*cleared {
            *cleared = true;
            display.bar.finish_and_clear();
        }
    }
}
