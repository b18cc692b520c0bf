//! The control endpoints under `/_sandbox/`, for tests and notebooks. They need
//! no credentials and are never reachable under an API path.
//!
//! | method and path | does |
//! |---|---|
//! | `GET /_sandbox/` | what is stored, per customer and resource |
//! | `POST /_sandbox/reset` | back to the seeded world; fault rules are cleared |
//! | `GET /_sandbox/state` | the whole store as JSON ([`crate::store::STATE_FORMAT`]) |
//! | `PUT /_sandbox/state` | replaces the store with such a document (400 if it breaks a rule) |
//! | `GET /_sandbox/faults` | the fault rules in force, with their hit counts |
//! | `POST /_sandbox/faults` | adds a rule ([`crate::FaultSpec`]); 201 with its id, its index in the list of rules |
//! | `DELETE /_sandbox/faults` | removes every rule |
//! | `GET /_sandbox/externals` | the ids relations to non-Accounts objects may use |
//! | `GET /_sandbox/openapi.json` | an OpenAPI 3.1 document of the API, from the description |

use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Json, Response};
use axum::routing::get;
use serde_json::json;

use crate::error::ApiError;
use crate::faults::FaultSpec;
use crate::shared::Shared;
use crate::{body, externals, openapi, seed};

type Ctx = State<Arc<Shared>>;

/// `/_sandbox/` itself (a nested router only answers `/_sandbox`).
pub fn index() -> Router<Arc<Shared>> {
    Router::new().route("/_sandbox/", get(summary))
}

/// The control routes, to nest under `/_sandbox`.
pub fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route("/", get(summary))
        .route("/reset", axum::routing::post(reset))
        .route("/state", get(export).put(import))
        .route("/faults", get(faults).post(add_fault).delete(clear_faults))
        .route("/requests", get(requests).delete(clear_requests))
        .route("/externals", get(|| async { Json(externals::all()) }))
        .route("/openapi.json", get(|| async { Json(openapi::document()) }))
}

async fn summary(State(s): Ctx) -> Response {
    Json(json!({
        "sandbox": "pigello-sandbox",
        "version": env!("CARGO_PKG_VERSION"),
        "seed": s.config.seed,
        "customers": s.store().counts(),
    }))
    .into_response()
}

async fn reset(State(s): Ctx) -> Result<Response, ApiError> {
    reset_shared(&s)?;
    Ok(summary(State(s)).await)
}

/// Puts the seeded world back and clears the fault rules and the requests seen.
pub fn reset_shared(s: &Shared) -> Result<(), ApiError> {
    let fresh = seed::build(&s.config)?;
    *s.store() = fresh;
    s.changed();
    s.faults().clear();
    s.seen().clear();
    Ok(())
}

async fn export(State(s): Ctx) -> Response {
    Json(s.store().export()).into_response()
}

async fn import(State(s): Ctx, h: HeaderMap, b: Body) -> Result<Response, ApiError> {
    let document = body::json(&h, b, usize::MAX).await?;
    s.store().import(&document).map_err(|e| {
        ApiError::invalid(
            "the state document was refused; nothing was loaded",
            vec![crate::error::FieldError {
                field: e.at,
                code: "invalid_state".into(),
                message: e.message,
            }],
        )
    })?;
    s.changed();
    Ok(StatusCode::NO_CONTENT.into_response())
}

async fn faults(State(s): Ctx) -> Response {
    Json(s.faults().list().to_vec()).into_response()
}

async fn add_fault(State(s): Ctx, h: HeaderMap, b: Body) -> Result<Response, ApiError> {
    let document = body::json(&h, b, s.config.max_body_bytes).await?;
    let spec: FaultSpec = serde_json::from_value(document).map_err(|e| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid_fault",
            format!("not a fault rule: {e}"),
        )
    })?;
    if let Some(problem) = spec.problem() {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid_fault",
            problem,
        ));
    }
    let id = s.faults().add(spec);
    Ok((StatusCode::CREATED, Json(json!({ "id": id }))).into_response())
}

async fn clear_faults(State(s): Ctx) -> Response {
    s.faults().clear();
    StatusCode::NO_CONTENT.into_response()
}

async fn requests(State(s): Ctx) -> Response {
    Json(s.seen().list()).into_response()
}

async fn clear_requests(State(s): Ctx) -> Response {
    s.seen().clear();
    StatusCode::NO_CONTENT.into_response()
}
