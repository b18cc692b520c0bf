//! The one error type of the crate.

use std::fmt;
use std::time::Duration;

use crate::query::QueryError;
use crate::validate::ValidationError;

use crate::client::{ApiError, BulkError, Outcome};

/// Everything that can go wrong in the SDK. Each variant carries what a caller
/// needs to act on it; none carries a credential.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The input broke one or more documented rules; nothing was sent.
    #[error(transparent)]
    Validation(#[from] ValidationError),

    /// A JSON body could not be decoded into a model: it is not JSON, or a field
    /// holds a value of the wrong type.
    #[error("could not decode {model}: {message} (at {path})")]
    Decode {
        /// The model the body was decoded into.
        model: &'static str,
        /// Where in the body decoding failed (`.` for the top level).
        path: String,
        /// What was wrong.
        message: String,
    },

    /// A value could not be encoded as JSON.
    #[error("could not encode {model}: {message}")]
    Encode {
        /// The model being encoded.
        model: &'static str,
        /// What was wrong.
        message: String,
    },

    /// A configuration value is missing or malformed (its value is never shown).
    #[error("configuration: {0}")]
    Config(String),

    /// A list query names a filter, operator or value the resource does not
    /// document; nothing was sent.
    #[error("{}", query_message(resource, problems))]
    Query {
        /// The resource listed.
        resource: &'static str,
        /// Every refused parameter.
        problems: Vec<QueryError>,
    },

    /// The API answered with an error status.
    #[error(transparent)]
    Api(Box<ApiError>),

    /// The connection failed (refused, reset, closed early, DNS, TLS).
    #[error("{method} {path}: {}", connection_message(*outcome, message))]
    Connection {
        /// The method of the call.
        method: &'static str,
        /// The path of the call (no query string).
        path: String,
        /// Whether the request may have reached the server.
        outcome: Outcome,
        /// What the transport said.
        message: String,
    },

    /// No complete answer arrived within the timeout.
    #[error("{method} {path}: no answer within {after:?}{}", timeout_tail(*outcome))]
    Timeout {
        /// The method of the call.
        method: &'static str,
        /// The path of the call (no query string).
        path: String,
        /// Whether the request may have reached the server.
        outcome: Outcome,
        /// The timeout that ran out.
        after: Duration,
    },

    /// A bulk write stopped at a refused or failed chunk; the error says which
    /// items were written and which were not.
    #[error(transparent)]
    Bulk(Box<BulkError>),
}

impl Error {
    /// The API error, if the API answered with an error status.
    pub fn api(&self) -> Option<&ApiError> {
        match self {
            Error::Api(e) => Some(e),
            _ => None,
        }
    }

    /// Whether a write may have been applied although the call failed: the
    /// request was sent and the answer was lost. Such a write is never retried.
    pub fn outcome_unknown(&self) -> bool {
        matches!(
            self,
            Error::Connection {
                outcome: Outcome::Unknown,
                ..
            } | Error::Timeout {
                outcome: Outcome::Unknown,
                ..
            }
        )
    }
}

fn query_message(resource: &str, problems: &[QueryError]) -> String {
    let list: Vec<String> = problems.iter().map(ToString::to_string).collect();
    format!("invalid {resource} list query: {}", list.join("; "))
}

fn connection_message(outcome: Outcome, message: &str) -> String {
    match outcome {
        Outcome::NotSent => format!("connection failed before the request was sent ({message})"),
        Outcome::Unknown => format!(
            "outcome unknown: the connection failed after the request was sent ({message}); \
             a write may or may not have been applied, and was not retried"
        ),
    }
}

fn timeout_tail(outcome: Outcome) -> impl fmt::Display {
    match outcome {
        Outcome::NotSent => "",
        Outcome::Unknown => {
            "; outcome unknown: a write may or may not have been applied, and was not retried"
        }
    }
}

/// The crate's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
