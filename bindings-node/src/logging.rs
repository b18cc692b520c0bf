//! The core's log lines ([`pigello::log`]) for Node. Each client has a log tag
//! (one per distinct `logger` and `logLevel`, chosen by `index.js`); a line
//! goes to JavaScript only when the tag of the client whose call made it wants
//! its level, and `index.js` hands it to that client's `logger`.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU8, AtomicU32, Ordering};
use std::sync::{Mutex, OnceLock, PoisonError};

use napi::bindgen_prelude::*;
use napi::threadsafe_function::{ThreadsafeFunction, ThreadsafeFunctionCallMode};
use napi_derive::napi;
use pigello::log::{LineLayer, LineSink, level_named};
use tracing::Level;
use tracing_subscriber::prelude::*;

use crate::errors::to_napi;

/// The JavaScript function each line goes to: `(tag, level, line)`. Weak, so
/// a program whose work is done exits although lines could still come.
type ToJavaScript = ThreadsafeFunction<
    FnArgs<(u32, String, String)>,
    (),
    FnArgs<(u32, String, String)>,
    Status,
    false,
    true,
>;

static TO_JAVASCRIPT: OnceLock<ToJavaScript> = OnceLock::new();

/// The level each tag wants (none: off).
static WANTED: Mutex<Option<HashMap<u32, Level>>> = Mutex::new(None);

/// The most detailed level any tag wants, as [`rank`] numbers it (0: none),
/// so a level no client logs costs nothing in the core.
static MOST_DETAILED: AtomicU8 = AtomicU8::new(0);

static NEXT_TAG: AtomicU32 = AtomicU32::new(1);

/// 1 for errors up to 5 for traces.
fn rank(level: &Level) -> u8 {
    match *level {
        Level::ERROR => 1,
        Level::WARN => 2,
        Level::INFO => 3,
        Level::DEBUG => 4,
        Level::TRACE => 5,
    }
}

/// The name `index.js` calls the logger's method by.
fn method_name(level: &Level) -> &'static str {
    match *level {
        Level::ERROR => "error",
        Level::WARN => "warn",
        Level::INFO => "info",
        Level::DEBUG | Level::TRACE => "debug",
    }
}

/// Where the lines go from now on; called once, by `index.js`, as it loads.
/// A process with another `tracing` subscriber keeps it, and no line comes.
#[napi(
    ts_args_type = "callback: (tag: number, level: 'error' | 'warn' | 'info' | 'debug', line: string) => void"
)]
pub fn log_to(callback: ToJavaScript) {
    if TO_JAVASCRIPT.set(callback).is_ok() {
        let _ = tracing::subscriber::set_global_default(
            tracing_subscriber::registry().with(LineLayer(ToJavaScriptLogger)),
        );
    }
}

/// A new tag for clients that log at `level` (`"off"`, `"error"`, `"warn"`,
/// `"info"`, `"debug"`); another name is an error naming `option`.
#[napi]
pub fn new_log_tag(level: String, option: String) -> Result<u32> {
    let level = level_named(&level, &option).map_err(to_napi)?;
    let tag = NEXT_TAG.fetch_add(1, Ordering::Relaxed);
    if let Some(level) = level {
        let mut wanted = WANTED.lock().unwrap_or_else(PoisonError::into_inner);
        wanted.get_or_insert_with(HashMap::new).insert(tag, level);
        MOST_DETAILED.fetch_max(rank(&level), Ordering::Relaxed);
    }
    Ok(tag)
}

struct ToJavaScriptLogger;

impl LineSink for ToJavaScriptLogger {
    fn wants(&self, level: &Level) -> bool {
        rank(level) <= MOST_DETAILED.load(Ordering::Relaxed)
    }

    fn line(&self, level: &Level, tag: Option<u64>, line: String) {
        let Some(tag) = tag.and_then(|t| u32::try_from(t).ok()) else {
            return;
        };
        let wanted = WANTED
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .as_ref()
            .and_then(|w| w.get(&tag).copied());
        if wanted.is_some_and(|wanted| rank(level) <= rank(&wanted))
            && let Some(to_javascript) = TO_JAVASCRIPT.get()
        {
            let args = (tag, method_name(level).to_owned(), line);
            to_javascript.call(args.into(), ThreadsafeFunctionCallMode::NonBlocking);
        }
    }
}
