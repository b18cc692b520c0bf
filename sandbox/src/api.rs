//! The documented endpoints of every resource, routed from the description.

use std::convert::Infallible;
use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::extract::{Extension, Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Json, Response};
use axum::routing::{MethodRouter, get, post};
use pigello::description::ResourceSpec;
use pigello::query::ListQuery;
use serde_json::Value;
use uuid::Uuid;

use crate::error::{ApiError, FieldError};
use crate::seen::RequestId;
use crate::shared::{Shared, now};
use crate::{body, list};

type Result<T> = std::result::Result<T, ApiError>;
type Ctx = State<Arc<Shared>>;
/// The id under which `requests()` lists the request, when it came through
/// the server (a router driven directly has none).
type Seen = Option<Extension<RequestId>>;

/// The routes of every resource (`PUT` and other methods get 405).
pub fn routes(mut router: Router<Arc<Shared>>) -> Router<Arc<Shared>> {
    for &spec in pigello::resources::ALL {
        router = router
            .route(
                spec.paths.collection,
                with_405(post(move |s: Ctx, h: HeaderMap, r: Seen, b: Body| {
                    create(spec, s, h, r, b)
                })),
            )
            .route(
                spec.paths.list,
                with_405(
                    get(move |s: Ctx, h: HeaderMap, u: Uri| list(spec, s, h, u))
                        .post(move |s: Ctx, h: HeaderMap, r: Seen, b: Body| bulk(spec, s, h, r, b)),
                ),
            )
            .route(
                spec.paths.single,
                with_405(
                    get(move |s: Ctx, h: HeaderMap, p: Path<String>| get_one(spec, s, h, p))
                        .patch(
                            move |s: Ctx, h: HeaderMap, p: Path<String>, r: Seen, b: Body| {
                                update(spec, s, h, p, r, b)
                            },
                        )
                        .delete(move |s: Ctx, h: HeaderMap, p: Path<String>| delete(spec, s, h, p)),
                ),
            );
        if let Some(path) = spec.invite_path {
            router = router.route(
                path,
                with_405(post(move |s: Ctx, h: HeaderMap, r: Seen, b: Body| {
                    invite(spec, s, h, r, b)
                })),
            );
        }
    }
    router
}

fn with_405(methods: MethodRouter<Arc<Shared>>) -> MethodRouter<Arc<Shared>> {
    methods.fallback(|| async {
        ApiError::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "method_not_allowed",
            "this path does not take that method (updates are PATCH)",
        )
    })
}

fn parse_pk(spec: &ResourceSpec, pk: &str) -> Result<Uuid> {
    Uuid::try_parse(pk).map_err(|_| ApiError::not_found(format!("no {} with this id", spec.name)))
}

fn created(value: impl serde::Serialize) -> Response {
    (StatusCode::CREATED, Json(value)).into_response()
}

async fn get_one(
    spec: &'static ResourceSpec,
    State(s): Ctx,
    h: HeaderMap,
    Path(pk): Path<String>,
) -> Result<Response> {
    let customer = s.authenticate(&h)?;
    let id = parse_pk(spec, &pk)?;
    let text = s
        .store()
        .world_for_reading(&customer)
        .and_then(|w| w.text(spec, &id))
        .ok_or_else(|| ApiError::not_found(format!("no {} with this id", spec.name)))?;
    Ok(json_text(text))
}

/// An answer of JSON text already made.
fn json_text(text: impl Into<Body>) -> Response {
    let mut response = text.into().into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response
}

/// A request's JSON body, its keys noted where `requests()` lists it.
async fn read_json(s: &Shared, h: &HeaderMap, b: Body, seen_as: Seen) -> Result<Value> {
    let body = body::json(h, b, s.config.max_body_bytes).await?;
    if let Some(Extension(RequestId(id))) = seen_as {
        s.seen().note_body(&id, &body);
    }
    Ok(body)
}

async fn create(
    spec: &'static ResourceSpec,
    State(s): Ctx,
    h: HeaderMap,
    seen_as: Seen,
    b: Body,
) -> Result<Response> {
    let customer = s.authenticate(&h)?;
    let body = read_json(&s, &h, b, seen_as).await?;
    let object = s.store().create(customer, spec, &body, &now())?;
    s.changed();
    Ok(created(object))
}

async fn update(
    spec: &'static ResourceSpec,
    State(s): Ctx,
    h: HeaderMap,
    Path(pk): Path<String>,
    seen_as: Seen,
    b: Body,
) -> Result<Response> {
    let customer = s.authenticate(&h)?;
    let id = parse_pk(spec, &pk)?;
    let body = read_json(&s, &h, b, seen_as).await?;
    let object = s.store().update(customer, spec, id, &body, &now())?;
    s.changed();
    Ok(Json(object).into_response())
}

async fn delete(
    spec: &'static ResourceSpec,
    State(s): Ctx,
    h: HeaderMap,
    Path(pk): Path<String>,
) -> Result<Response> {
    let customer = s.authenticate(&h)?;
    let id = parse_pk(spec, &pk)?;
    s.store().delete(customer, spec, id)?;
    s.changed();
    Ok(StatusCode::NO_CONTENT.into_response())
}

async fn bulk(
    spec: &'static ResourceSpec,
    State(s): Ctx,
    h: HeaderMap,
    seen_as: Seen,
    b: Body,
) -> Result<Response> {
    let customer = s.authenticate(&h)?;
    let body = read_json(&s, &h, b, seen_as).await?;
    let objects = s.store().bulk(customer, spec, &body, &now())?;
    s.changed();
    Ok(created(objects))
}

async fn invite(
    spec: &'static ResourceSpec,
    State(s): Ctx,
    h: HeaderMap,
    seen_as: Seen,
    b: Body,
) -> Result<Response> {
    let customer = s.authenticate(&h)?;
    let body = read_json(&s, &h, b, seen_as).await?;
    s.store().record_invite(customer, spec.name, body);
    s.changed();
    Ok(created(Value::Null))
}

async fn list(
    spec: &'static ResourceSpec,
    State(s): Ctx,
    h: HeaderMap,
    uri: Uri,
) -> Result<Response> {
    let customer = s.authenticate(&h)?;
    let query =
        ListQuery::parse_query_string(spec, uri.query().unwrap_or("")).map_err(|errors| {
            let n = errors.len();
            ApiError::invalid(
                format!(
                    "{n} problem{} with the list query",
                    if n == 1 { "" } else { "s" }
                ),
                errors.into_iter().map(FieldError::from).collect(),
            )
        })?;
    let listed = {
        let mut store = s.store();
        list::run(store.world_for_reading(&customer), spec, &query)
    };
    let total = listed.total;
    let mut response = if query.jsonl {
        jsonl(listed.rows)
    } else {
        json_text(listed.array())
    };
    if query.statistics {
        response
            .headers_mut()
            .insert("x-total-count", HeaderValue::from(total));
    }
    Ok(response)
}

/// One JSON object per line, sent in chunks as they are written.
fn jsonl(rows: Vec<bytes::Bytes>) -> Response {
    const ROWS_PER_CHUNK: usize = 256;
    let mut rows = rows.into_iter();
    let chunks = std::iter::from_fn(move || {
        let mut chunk = Vec::new();
        for row in rows.by_ref().take(ROWS_PER_CHUNK) {
            chunk.extend_from_slice(&row);
            chunk.push(b'\n');
        }
        (!chunk.is_empty()).then(|| Ok::<_, Infallible>(bytes::Bytes::from(chunk)))
    });
    let mut response = Body::from_stream(futures_util::stream::iter(chunks)).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/jsonl"),
    );
    response
}
