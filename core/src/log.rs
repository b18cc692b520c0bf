//! The core's `tracing` events as lines of text, for a binding to hand to its
//! language's logger (Python's `logging`, a Node `logger`). Every binding
//! prints the same line for the same event:
//!
//! ```text
//! answered method=GET path=/accounts/users/customer/tenant/list/ query=_page=1&_page_size=100 attempt=1 status=200 elapsed_ms=3 request_id=req_1
//! ```
//!
//! The core never logs a credential, a body or a filter value (the query is
//! redacted before it is put on the span), so nothing here has to remove one.
//! Only events of the core itself (target `pigello…`) are turned into lines.

use std::fmt::{self, Write as _};

use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id};
use tracing::subscriber::Interest;
use tracing::{Event, Level, Metadata, Subscriber};
use tracing_subscriber::layer::{Context, Layer};
use tracing_subscriber::registry::LookupSpan;

use crate::{Error, Result};

/// The level names a caller can choose from, most quiet first.
pub const LEVEL_NAMES: [&str; 5] = ["off", "error", "warn", "info", "debug"];

/// A level by its name (`"off"` is `None`): how `logLevel` and `PIGELLO_LOG`
/// are read. `option` names the setting for the error.
///
/// ```
/// use pigello::log::level_named;
/// use tracing::Level;
///
/// assert_eq!(level_named("debug", "logLevel")?, Some(Level::DEBUG));
/// assert_eq!(level_named("off", "logLevel")?, None);
/// let refused = level_named("verbose", "logLevel").unwrap_err();
/// assert!(refused.to_string().contains("logLevel must be one of off, error, warn, info, debug"));
/// # Ok::<(), pigello::Error>(())
/// ```
pub fn level_named(name: &str, option: &str) -> Result<Option<Level>> {
    match name {
        "off" => Ok(None),
        "error" => Ok(Some(Level::ERROR)),
        "warn" => Ok(Some(Level::WARN)),
        "info" => Ok(Some(Level::INFO)),
        "debug" => Ok(Some(Level::DEBUG)),
        _ => Err(Error::Config(format!(
            "{option} must be one of {}, not {name:?}",
            LEVEL_NAMES.join(", ")
        ))),
    }
}

/// Where the lines go.
pub trait LineSink: Send + Sync + 'static {
    /// Whether any logger wants lines at `level`. Asked before the core builds
    /// a span or an event, so a level no one wants costs nothing.
    fn wants(&self, level: &Level) -> bool;

    /// One line at `level`, made by a call of a client whose
    /// [`crate::client::RequestOptions::log_tag`] is `tag`.
    fn line(&self, level: &Level, tag: Option<u64>, line: String);
}

/// A `tracing` layer that turns the core's events into lines for a sink.
pub struct LineLayer<S>(pub S);

/// The span field that carries a client's log tag; it labels a line, and is
/// not printed.
const TAG: &str = "tag";

/// Whether an event comes from the core (not a sandbox in the same process, or
/// a dependency).
fn from_core(target: &str) -> bool {
    target == "pigello" || target.starts_with("pigello::")
}

/// The fields of a span or an event as ` name=value` pairs, the message apart.
#[derive(Default)]
struct Fields {
    message: String,
    pairs: String,
    tag: Option<u64>,
}

impl Visit for Fields {
    fn record_u64(&mut self, field: &Field, value: u64) {
        if field.name() == TAG {
            self.tag = Some(value);
        } else {
            self.record_debug(field, &value);
        }
    }

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

impl<S, L> Layer<S> for LineLayer<L>
where
    S: Subscriber + for<'a> LookupSpan<'a>,
    L: LineSink,
{
    /// Asked again for each span and event, as the wanted level may change.
    fn register_callsite(&self, metadata: &'static Metadata<'static>) -> Interest {
        if from_core(metadata.target()) {
            Interest::sometimes()
        } else {
            Interest::never()
        }
    }

    fn enabled(&self, metadata: &Metadata<'_>, _: Context<'_, S>) -> bool {
        self.0.wants(metadata.level())
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
        if !from_core(metadata.target()) || !self.0.wants(metadata.level()) {
            return;
        }
        let mut fields = Fields::default();
        event.record(&mut fields);
        let mut line = fields.message;
        let mut tag = fields.tag;
        for span in ctx
            .event_scope(event)
            .into_iter()
            .flat_map(|s| s.from_root())
        {
            if let Some(outer) = span.extensions().get::<Fields>() {
                line.push_str(&outer.pairs);
                tag = tag.or(outer.tag);
            }
        }
        line.push_str(&fields.pairs);
        self.0.line(metadata.level(), tag, line);
    }
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex, PoisonError};

    use tracing_subscriber::prelude::*;

    use super::*;

    /// A line as the sink received it.
    type Line = (Level, Option<u64>, String);

    #[derive(Clone, Default)]
    struct Kept(Arc<Mutex<Vec<Line>>>);

    impl LineSink for Kept {
        fn wants(&self, level: &Level) -> bool {
            *level <= Level::INFO
        }

        fn line(&self, level: &Level, tag: Option<u64>, line: String) {
            self.0
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push((*level, tag, line));
        }
    }

    #[test]
    fn a_line_has_the_message_then_the_span_fields_then_its_own_and_carries_the_tag() {
        let kept = Kept::default();
        let subscriber = tracing_subscriber::registry().with(LineLayer(kept.clone()));
        tracing::subscriber::with_default(subscriber, || {
            let span = tracing::info_span!(target: "pigello", "pigello.request", method = "GET", tag = Some(7u64));
            span.in_scope(|| {
                tracing::info!(target: "pigello::client", status = 200u16, "answered");
                tracing::debug!(target: "pigello::client", "below the level");
            });
            tracing::info!(target: "pigello_sandbox", "not the core's");
            tracing::info!(target: "pigello::client", tag = None::<u64>, "untagged");
        });
        let lines = kept
            .0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone();
        assert_eq!(
            lines,
            vec![
                (
                    Level::INFO,
                    Some(7),
                    "answered method=GET status=200".to_owned()
                ),
                (Level::INFO, None, "untagged".to_owned()),
            ]
        );
    }
}
