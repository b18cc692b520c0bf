//! One request sent: its CLIENT span and its point of the
//! `http.client.request.duration` histogram. A retried call sends several, and
//! each is a span of its own.

use std::time::{Duration, SystemTime};

use super::{Attributes, SpanKind, Status, Value};

/// The histogram every attempt adds a point to, in seconds.
pub const DURATION_METRIC: &str = "http.client.request.duration";
/// Its unit, as the conventions write it.
pub const DURATION_UNIT: &str = "s";

/// What is known of an attempt before it is sent.
#[derive(Debug, Clone, PartialEq)]
pub struct AttemptStart {
    /// `{METHOD} {url.template}`: `GET /accounts/users/customer/tenant/{pk}/`.
    pub name: String,
    pub kind: SpanKind,
    /// `http.request.method`, `server.address`, `server.port`, `url.full`,
    /// `url.template`, and `http.request.resend_count` on a retry.
    pub attributes: Attributes,
    pub start: SystemTime,
}

/// Where an attempt goes.
#[derive(Debug, Clone, Copy)]
pub struct Target<'a> {
    pub method: &'static str,
    /// The path as the reference writes it, `{pk}` for an id.
    pub template: &'a str,
    /// The URL sent, the query's personal values already redacted.
    pub url_full: &'a str,
    pub server_address: &'a str,
    pub server_port: u16,
}

impl AttemptStart {
    /// The `attempt`th attempt (from 1) of a call to `target`.
    pub fn new(target: Target<'_>, attempt: u32, start: SystemTime) -> Self {
        let mut attributes: Attributes = vec![
            ("http.request.method", text(target.method)),
            ("server.address", text(target.server_address)),
            ("server.port", Value::Int(target.server_port.into())),
            ("url.full", text(target.url_full)),
            ("url.template", text(target.template)),
        ];
        if attempt > 1 {
            attributes.push((
                "http.request.resend_count",
                Value::Int((attempt - 1).into()),
            ));
        }
        AttemptStart {
            name: format!("{} {}", target.method, target.template),
            kind: SpanKind::Client,
            attributes,
            start,
        }
    }

    /// An attribute it was started with.
    fn attribute(&self, name: &str) -> Option<&Value> {
        self.attributes
            .iter()
            .find(|(key, _)| *key == name)
            .map(|(_, value)| value)
    }

    /// The attributes a metric point shares with the span.
    fn metric_attributes(&self) -> Attributes {
        ["http.request.method", "server.address", "server.port"]
            .into_iter()
            .filter_map(|name| Some((name, self.attribute(name)?.clone())))
            .collect()
    }
}

/// Why an attempt failed, as the conventions' `error.type` names it: the
/// status code of an error answer, or a low-cardinality kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorType {
    /// A 4xx or 5xx answer.
    Status(u16),
    /// No answer within the timeout.
    Timeout,
    /// The server refused the connection.
    ConnectionRefused,
    /// Another failure before the request was sent (a name that does not
    /// resolve, a TLS handshake).
    ConnectError,
    /// The connection failed after the request was sent.
    ConnectionLost,
    /// The caller cancelled the call (an `AbortSignal`, Ctrl-C, a closed
    /// client): not a failure of the request, so the span's status stays unset.
    Cancelled,
    /// Another failure (of an operation that failed without a failed
    /// request): the conventions' fallback value.
    Other,
}

impl ErrorType {
    /// The value of `error.type`.
    pub fn name(self) -> String {
        match self {
            ErrorType::Status(code) => code.to_string(),
            ErrorType::Timeout => "timeout".into(),
            ErrorType::ConnectionRefused => "connection_refused".into(),
            ErrorType::ConnectError => "connect_error".into(),
            ErrorType::ConnectionLost => "connection_lost".into(),
            ErrorType::Cancelled => "cancelled".into(),
            ErrorType::Other => "_OTHER".into(),
        }
    }

    /// The kind [`ErrorType::name`] gives `name`; any other name is
    /// [`ErrorType::Other`].
    pub fn named(name: &str) -> ErrorType {
        match name {
            "timeout" => ErrorType::Timeout,
            "connection_refused" => ErrorType::ConnectionRefused,
            "connect_error" => ErrorType::ConnectError,
            "connection_lost" => ErrorType::ConnectionLost,
            "cancelled" => ErrorType::Cancelled,
            status => status.parse().map_or(ErrorType::Other, ErrorType::Status),
        }
    }

    /// The span's status: an error, except for a deliberate cancel.
    pub fn status(self) -> Status {
        match self {
            ErrorType::Cancelled => Status::Unset,
            _ => Status::Error,
        }
    }
}

/// How an attempt ended: what its span gains and the point it adds to
/// [`DURATION_METRIC`].
#[derive(Debug, Clone, PartialEq)]
pub struct AttemptEnd {
    /// `http.response.status_code` when it was answered, `error.type` when it
    /// failed, and `pigello.request_id` when the API gave one.
    pub attributes: Attributes,
    pub status: Status,
    pub end: SystemTime,
    /// The attempt's duration, in seconds.
    pub duration: f64,
    /// The point's attributes: `http.request.method`, `server.address`,
    /// `server.port`, and `http.response.status_code` or `error.type`.
    pub metric_attributes: Attributes,
}

impl AttemptEnd {
    /// An attempt answered with `status` (an error status is also an
    /// `error.type`).
    pub fn answered(
        start: &AttemptStart,
        status: u16,
        request_id: Option<&str>,
        took: Duration,
    ) -> Self {
        let mut attributes: Attributes =
            vec![("http.response.status_code", Value::Int(status.into()))];
        let failed = (status >= 400).then_some(ErrorType::Status(status));
        if let Some(error) = failed {
            attributes.push(("error.type", Value::Text(error.name())));
        }
        if let Some(id) = request_id {
            attributes.push(("pigello.request_id", text(id)));
        }
        let mut metric_attributes = start.metric_attributes();
        metric_attributes.extend(
            attributes
                .iter()
                .filter(|(key, _)| *key != "pigello.request_id")
                .cloned(),
        );
        AttemptEnd {
            attributes,
            status: failed.map_or(Status::Unset, ErrorType::status),
            end: start.start + took,
            duration: took.as_secs_f64(),
            metric_attributes,
        }
    }

    /// An attempt that got no answer.
    pub fn failed(start: &AttemptStart, error: ErrorType, took: Duration) -> Self {
        let attributes: Attributes = vec![("error.type", Value::Text(error.name()))];
        let mut metric_attributes = start.metric_attributes();
        metric_attributes.extend(attributes.iter().cloned());
        AttemptEnd {
            attributes,
            status: error.status(),
            end: start.start + took,
            duration: took.as_secs_f64(),
            metric_attributes,
        }
    }
}

fn text(value: &str) -> Value {
    Value::Text(value.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target() -> Target<'static> {
        Target {
            method: "GET",
            template: "/accounts/users/customer/tenant/{pk}/",
            url_full: "https://api.example/accounts/users/customer/tenant/5d1c/",
            server_address: "api.example",
            server_port: 443,
        }
    }

    #[test]
    fn a_first_attempt_is_named_by_its_template_and_has_no_resend_count() {
        let start = AttemptStart::new(target(), 1, SystemTime::UNIX_EPOCH);
        assert_eq!(start.name, "GET /accounts/users/customer/tenant/{pk}/");
        assert_eq!(start.kind, SpanKind::Client);
        let keys: Vec<&str> = start.attributes.iter().map(|(k, _)| *k).collect();
        assert_eq!(
            keys,
            [
                "http.request.method",
                "server.address",
                "server.port",
                "url.full",
                "url.template"
            ]
        );
    }

    #[test]
    fn a_retry_counts_the_resends_and_an_error_answer_is_an_error() {
        let start = AttemptStart::new(target(), 3, SystemTime::UNIX_EPOCH);
        assert!(
            start
                .attributes
                .contains(&("http.request.resend_count", Value::Int(2)))
        );
        let end = AttemptEnd::answered(&start, 503, Some("req_9"), Duration::from_millis(250));
        assert_eq!(end.status, Status::Error);
        assert_eq!(end.duration, 0.25);
        assert_eq!(end.end, SystemTime::UNIX_EPOCH + Duration::from_millis(250));
        assert!(
            end.attributes
                .contains(&("error.type", Value::Text("503".into())))
        );
        assert!(
            end.attributes
                .contains(&("pigello.request_id", Value::Text("req_9".into())))
        );
        let metric: Vec<&str> = end.metric_attributes.iter().map(|(k, _)| *k).collect();
        assert_eq!(
            metric,
            [
                "http.request.method",
                "server.address",
                "server.port",
                "http.response.status_code",
                "error.type"
            ]
        );
    }

    #[test]
    fn a_success_leaves_the_status_unset_and_a_cancel_is_not_an_error() {
        let start = AttemptStart::new(target(), 1, SystemTime::UNIX_EPOCH);
        let ok = AttemptEnd::answered(&start, 200, None, Duration::ZERO);
        assert_eq!(ok.status, Status::Unset);
        assert!(!ok.attributes.iter().any(|(k, _)| *k == "error.type"));
        let cancelled = AttemptEnd::failed(&start, ErrorType::Cancelled, Duration::ZERO);
        assert_eq!(cancelled.status, Status::Unset);
        assert_eq!(
            cancelled.attributes,
            [("error.type", Value::Text("cancelled".into()))]
        );
        let timeout = AttemptEnd::failed(&start, ErrorType::Timeout, Duration::ZERO);
        assert_eq!(timeout.status, Status::Error);
    }
}
