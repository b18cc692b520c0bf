//! The seven `X-PIGELLO-*` credentials every API call must carry.
//!
//! The sandbox keeps no credential store: any non-empty values pass (unless the
//! sandbox was told to require one exact secret), and the customer id, which must
//! be a uuid, selects whose data the call sees. A refusal names the missing
//! headers, never a value.

use axum::http::{HeaderMap, StatusCode};
use pigello::Credentials;
use uuid::Uuid;

use crate::error::ApiError;

/// Checks the headers and returns the customer the call acts for.
pub fn authenticate(headers: &HeaderMap, required_secret: Option<&str>) -> Result<Uuid, ApiError> {
    let value = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::trim)
            .filter(|v| !v.is_empty())
    };
    let missing: Vec<&str> = Credentials::NAMES
        .iter()
        .map(|n| n.header)
        .filter(|h| value(h).is_none())
        .collect();
    if !missing.is_empty() {
        return Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "not_authenticated",
            format!("missing credential header(s): {}", missing.join(", ")),
        ));
    }
    let secret_header = Credentials::NAMES
        .iter()
        .find(|n| n.secret)
        .map_or("X-PIGELLO-CLIENT-SECRET", |n| n.header);
    if let Some(expected) = required_secret
        && value(secret_header) != Some(expected)
    {
        return Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "authentication_failed",
            format!("{secret_header} is not the secret this sandbox requires"),
        ));
    }
    let customer_header = Credentials::NAMES[0].header;
    value(customer_header)
        .and_then(|v| Uuid::try_parse(v).ok())
        .ok_or_else(|| {
            ApiError::new(
                StatusCode::UNAUTHORIZED,
                "authentication_failed",
                format!("{customer_header} must be a uuid"),
            )
        })
}
