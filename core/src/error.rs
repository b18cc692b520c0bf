//! The one error type of the crate.

use crate::validate::ValidationError;

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
}

/// The crate's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
