//! The HTTP/1.1 server: one task per connection, the fault rules applied in
//! front of the router, a request id on every answer, and a graceful stop.
//!
//! It drives hyper directly rather than through `axum::serve`, because a fault
//! that drops the connection needs a service that can fail: when it does, hyper
//! closes the connection without writing a response.

use std::fmt;
use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderValue, Request, Response, StatusCode};
use axum::response::IntoResponse;
use futures_util::FutureExt;
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use hyper_util::server::graceful::GracefulShutdown;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tower::ServiceExt;

use crate::error::ApiError;
use crate::faults::FaultAction;
use crate::seen::SeenRequest;
use crate::shared::Shared;

/// How long a stop waits for requests in flight.
const DRAIN: Duration = Duration::from_secs(5);

/// The error that makes hyper drop a connection unanswered.
#[derive(Debug)]
struct Dropped;

impl fmt::Display for Dropped {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("connection dropped by a sandbox fault rule")
    }
}

impl std::error::Error for Dropped {}

/// Accepts connections until `stop` fires, then drains the open ones.
pub async fn serve(
    listener: TcpListener,
    shared: Arc<Shared>,
    router: Router,
    stop: oneshot::Receiver<()>,
) {
    let graceful = GracefulShutdown::new();
    let mut stop = std::pin::pin!(stop);
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let Ok((stream, _)) = accepted else { continue };
                let _ = stream.set_nodelay(true);
                let (shared, router) = (shared.clone(), router.clone());
                let service = hyper::service::service_fn(move |req| {
                    handle(shared.clone(), router.clone(), req)
                });
                let connection = hyper::server::conn::http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), service);
                let connection = graceful.watch(connection);
                tokio::spawn(async move {
                    let _ = connection.await;
                });
            }
            _ = &mut stop => break,
        }
    }
    let _ = tokio::time::timeout(DRAIN, graceful.shutdown()).await;
}

async fn handle(
    shared: Arc<Shared>,
    router: Router,
    req: Request<Incoming>,
) -> Result<Response<Body>, Dropped> {
    let request_id = shared.next_request_id();
    let path = req.uri().path();
    let decision = if path == "/_sandbox" || path.starts_with("/_sandbox/") {
        Default::default()
    } else {
        let seen = SeenRequest::new(&request_id, req.method(), req.uri(), req.headers());
        shared.seen().push(seen);
        shared.faults().decide(req.method().as_str(), path)
    };
    if !decision.delay.is_zero() {
        tokio::time::sleep(decision.delay).await;
    }
    let mut req = req.map(Body::new);
    req.extensions_mut()
        .insert(crate::seen::RequestId(request_id.clone()));
    let mut response = match decision.outcome {
        Some(FaultAction::Drop) => return Err(Dropped),
        Some(FaultAction::DropAfterWrite) => {
            let _ = route(router, req).await;
            return Err(Dropped);
        }
        Some(FaultAction::Status {
            status,
            retry_after,
        }) => injected(status, retry_after),
        Some(FaultAction::Latency { .. } | FaultAction::Header { .. }) | None => {
            route(router, req).await
        }
    };
    for (name, value) in &decision.headers {
        // Checked when the rule was added.
        if let (Ok(name), Ok(value)) = (
            axum::http::HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(value),
        ) {
            response.headers_mut().append(name, value);
        }
    }
    if let Ok(value) = HeaderValue::from_str(&request_id) {
        response.headers_mut().insert("x-request-id", value);
    }
    Ok(response)
}

/// Runs the router. A panic in a handler (a bug) becomes a 500 in the usual
/// error shape instead of a dropped connection; the store stays consistent,
/// since a write is checked whole before anything is stored.
async fn route(router: Router, req: Request<Body>) -> Response<Body> {
    let answered = AssertUnwindSafe(router.oneshot(req)).catch_unwind().await;
    match answered {
        Ok(Ok(response)) => response,
        Ok(Err(never)) => match never {},
        Err(_) => ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal_error",
            "the sandbox hit a bug handling this call; please report it",
        )
        .into_response(),
    }
}

/// The answer of a status fault, in the usual error shape.
fn injected(status: u16, retry_after: Option<u32>) -> Response<Body> {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::SERVICE_UNAVAILABLE);
    let code = match status.as_u16() {
        401 => "not_authenticated",
        403 => "permission_denied",
        404 => "not_found",
        409 => "conflict",
        429 => "rate_limited",
        500 => "internal_error",
        502 => "bad_gateway",
        503 => "unavailable",
        504 => "gateway_timeout",
        _ => "injected_fault",
    };
    ApiError {
        retry_after,
        ..ApiError::new(status, code, "answered by a sandbox fault rule")
    }
    .into_response()
}
