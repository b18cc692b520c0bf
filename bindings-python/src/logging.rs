//! The core's `tracing` events, in Python's `logging`: each call's lines go to
//! the logger `pigello` (method, path, the query with every value that could
//! be personal redacted, status, attempt, elapsed time, request id, retry
//! waits). The core never logs a credential, a body or a filter value, so
//! nothing here has to remove one.

use std::fmt::{self, Write as _};
use std::sync::atomic::{AtomicI32, Ordering};

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id};
use tracing::subscriber::Interest;
use tracing::{Event, Level, Metadata, Subscriber};
use tracing_subscriber::layer::{Context, Layer};
use tracing_subscriber::prelude::*;
use tracing_subscriber::registry::LookupSpan;

/// The logger's effective level, as Python's `logging` numbers it; read from
/// the logger (with the GIL) each time a call is made, so an event on a
/// runtime thread costs nothing when its level is off.
static LEVEL: AtomicI32 = AtomicI32::new(i32::MAX);

fn logger(py: Python<'_>) -> PyResult<&Bound<'_, PyAny>> {
    static LOGGER: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    LOGGER
        .get_or_try_init(py, || {
            Ok::<_, PyErr>(
                py.import("logging")?
                    .call_method1("getLogger", ("pigello",))?
                    .unbind(),
            )
        })
        .map(|l| l.bind(py))
}

/// Reads the logger's level again; called as each call is made.
pub fn refresh(py: Python<'_>) {
    let level = logger(py)
        .and_then(|l| l.call_method0("getEffectiveLevel")?.extract::<i32>())
        .unwrap_or(i32::MAX);
    LEVEL.store(level, Ordering::Relaxed);
}

/// Sends the core's events to Python from now on (a no-op when this process
/// already has a `tracing` subscriber).
pub fn install() {
    let _ = tracing::subscriber::set_global_default(
        tracing_subscriber::registry().with(ToPythonLogging),
    );
}

/// Python's number for a level.
fn python_level(level: &Level) -> i32 {
    match *level {
        Level::ERROR => 40,
        Level::WARN => 30,
        Level::INFO => 20,
        Level::DEBUG => 10,
        Level::TRACE => 5,
    }
}

/// Whether an event comes from the core (not the in-process sandbox or a
/// dependency).
fn from_core(target: &str) -> bool {
    target == "pigello" || target.starts_with("pigello::")
}

/// The fields of a span or an event as `name=value` pairs; the message first.
#[derive(Default)]
struct Fields {
    message: String,
    pairs: String,
}

impl Visit for Fields {
    fn record_str(&mut self, field: &Field, value: &str) {
        self.record_debug(field, &format_args!("{value}"));
    }

    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        if field.name() == "message" {
            let _ = write!(self.message, "{value:?}");
        } else {
            let _ = write!(self.pairs, " {}={value:?}", field.name());
        }
    }
}

struct ToPythonLogging;

impl<S: Subscriber + for<'a> LookupSpan<'a>> Layer<S> for ToPythonLogging {
    /// Asked again for each span and event, as the logger's level may change.
    fn register_callsite(&self, metadata: &'static Metadata<'static>) -> Interest {
        if from_core(metadata.target()) {
            Interest::sometimes()
        } else {
            Interest::never()
        }
    }

    /// Off below the logger's level: the core then builds no span and no
    /// line (not even the redacted query) for a call.
    fn enabled(&self, metadata: &Metadata<'_>, _: Context<'_, S>) -> bool {
        python_level(metadata.level()) >= LEVEL.load(Ordering::Relaxed)
    }

    fn on_new_span(&self, attrs: &Attributes<'_>, id: &Id, ctx: Context<'_, S>) {
        if !from_core(attrs.metadata().target()) {
            return;
        }
        let mut fields = Fields::default();
        attrs.record(&mut fields);
        if let Some(span) = ctx.span(id) {
            span.extensions_mut().insert(fields);
        }
    }

    fn on_event(&self, event: &Event<'_>, ctx: Context<'_, S>) {
        let metadata = event.metadata();
        let level = python_level(metadata.level());
        if level < LEVEL.load(Ordering::Relaxed) || !from_core(metadata.target()) {
            return;
        }
        let mut fields = Fields::default();
        event.record(&mut fields);
        let mut line = fields.message;
        for span in ctx
            .event_scope(event)
            .into_iter()
            .flat_map(|s| s.from_root())
        {
            if let Some(outer) = span.extensions().get::<Fields>() {
                line.push_str(&outer.pairs);
            }
        }
        line.push_str(&fields.pairs);
        Python::attach(|py| {
            if let Ok(logger) = logger(py) {
                let _ = logger.call_method1("log", (level, line));
            }
        });
    }
}
