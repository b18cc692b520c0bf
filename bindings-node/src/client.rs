//! `NativeClient`: the core client, one method per operation, each taking the
//! resource's property name. `index.js` wraps it in `Client` and its resource
//! objects.

use futures_util::StreamExt;
use napi::bindgen_prelude::*;
use napi_derive::napi;
use serde_json::Value;
use serde_json::value::RawValue;
use uuid::Uuid;

use pigello::Spelling;
use pigello::client::{
    ClientBuilder, GivenOptions, JsonTextRows, RawHandle, RequestOptions, json_array,
    resource_named,
};
use pigello::description::Taker;

use crate::errors::{invalid_argument, to_napi};
use crate::guard::{guarded, guarded_sync};
use crate::json::parse;
use crate::options::{SendOptions, given_object, option_error};
use crate::rows::NativeRows;

/// One page of a list.
#[napi(object)]
pub struct NativePage {
    /// The rows as the JSON text of an array, checked by the core: JavaScript's
    /// `JSON.parse` builds the objects many times faster than napi can hand
    /// them over one property at a time.
    pub rows_json: String,
    /// Every matching row, when the list asked for statistics.
    pub total: Option<i64>,
    pub page: u32,
    pub page_size: u32,
    pub request_id: Option<String>,
    /// The number of the next page, by the core's one rule; none after the last.
    pub next_page: Option<u32>,
}

/// Builds a core client: the builder's credentials and base URL, with the
/// settings a constructor was given.
pub fn build(builder: ClientBuilder, settings: &RequestOptions) -> Result<pigello::Client> {
    let builder = builder.user_agent_suffix(concat!("node/", env!("CARGO_PKG_VERSION")));
    Ok(builder.build().map_err(to_napi)?.with_options(settings))
}

/// A client's settings (`{ timeout, maxRetries, defaultHeaders }`, and
/// its log tag).
pub fn settings(send: Option<SendOptions>) -> Result<RequestOptions> {
    Ok(SendOptions::read(send, Taker::ClientSettings)?.request)
}

/// The resource behind a client property name (`tenants`, `organizationUsers`),
/// on the client with one call's own options, and the options `taker` was
/// given (what the call sends beyond its arguments, a list's arguments).
fn resource(
    client: &pigello::Client,
    property: &str,
    send: Option<SendOptions>,
    taker: Taker,
) -> Result<(RawHandle, GivenOptions)> {
    let spec = resource_named(property, Spelling::Camel)
        .map_err(|hint| invalid_argument(format!("no resource is called {property:?}{hint}")))?;
    let given = SendOptions::read(send, taker)?;
    let raw = client.resource(spec).with_options(&given.request);
    Ok((raw, given))
}

/// A row's JSON text, for `JSON.parse` in `index.js`.
fn text(row: Box<RawValue>) -> String {
    Box::<str>::from(row).into_string()
}

/// An id through the core's check: not a uuid is a `ValidationError`.
fn parse_id(raw: &RawHandle, id: &str) -> Result<Uuid> {
    raw.parse_id(id).map_err(to_napi)
}

/// The Pigello API; `index.js` exposes it as `Client`.
#[napi]
pub struct NativeClient {
    inner: pigello::Client,
}

impl NativeClient {
    pub fn wrap(inner: pigello::Client) -> Self {
        NativeClient { inner }
    }
}

#[napi]
impl NativeClient {
    #[napi(constructor)]
    pub fn new(send: SendOptions) -> Result<Self> {
        guarded_sync(|| {
            let given = given_object(send.options.as_deref())?;
            let (credentials, given) =
                GivenOptions::client(Spelling::Camel, given).map_err(option_error)?;
            let inner = build(
                pigello::Client::builder()
                    .credentials(credentials)
                    .base_url_if_set(given.base_url),
                &send.handles(given.request),
            )?;
            Ok(NativeClient { inner })
        })
    }

    /// A client from `PIGELLO_BASE_URL` and the seven `PIGELLO_*` credentials.
    #[napi(factory)]
    pub fn from_env(settings: Option<SendOptions>) -> Result<Self> {
        guarded_sync(|| {
            let settings = self::settings(settings)?;
            let from_env = pigello::Client::builder_from_env().map_err(to_napi)?;
            Ok(NativeClient {
                inner: build(from_env, &settings)?,
            })
        })
    }

    /// The same connections with other settings.
    #[napi]
    pub fn with_options(&self, settings: Option<SendOptions>) -> Result<NativeClient> {
        guarded_sync(|| {
            Ok(NativeClient {
                inner: self.inner.with_options(&self::settings(settings)?),
            })
        })
    }

    #[napi(getter)]
    pub fn base_url(&self) -> String {
        self.inner.base_url().to_owned()
    }

    /// The timeout of one attempt, in milliseconds.
    #[napi(getter)]
    pub fn timeout(&self) -> f64 {
        self.inner.timeout().as_secs_f64() * 1000.0
    }

    #[napi(getter)]
    pub fn max_retries(&self) -> u32 {
        self.inner.max_retries()
    }

    #[napi(getter)]
    pub fn is_closed(&self) -> bool {
        self.inner.is_closed()
    }

    /// The span of a resource's `method` (`iterate`, `bulkWrite`), as the
    /// core names it, in JSON (`{ name, attributes }`); none when the method
    /// sends one request, or this client or the process turns telemetry off.
    #[napi]
    pub fn operation_span(&self, resource_name: String, method: String) -> Result<Option<String>> {
        guarded_sync(|| {
            let spec = resource_named(&resource_name, Spelling::Camel).map_err(|hint| {
                invalid_argument(format!("no resource is called {resource_name:?}{hint}"))
            })?;
            let taker = Taker::call_named(&method, Spelling::Camel);
            let operation = taker.and_then(|taker| self.inner.resource(spec).operation(taker));
            Ok(operation.as_ref().map(crate::telemetry::operation_json))
        })
    }

    /// Closes the connections of every client sharing them.
    #[napi]
    pub fn close(&self) {
        self.inner.close();
    }

    #[napi]
    pub async fn get(
        &self,
        resource_name: String,
        id: String,
        send: Option<SendOptions>,
    ) -> Result<String> {
        let (raw, given) = resource(&self.inner, &resource_name, send, Taker::Get)?;
        let options = given.call;
        guarded(async move {
            let row = raw
                .get_with(parse_id(&raw, &id)?, &options, &JsonTextRows)
                .await;
            row.map(text).map_err(to_napi)
        })
        .await
    }

    #[napi]
    pub async fn list(
        &self,
        resource_name: String,
        send: Option<SendOptions>,
    ) -> Result<NativePage> {
        let (raw, given) = resource(&self.inner, &resource_name, send, Taker::List)?;
        guarded(async move {
            let q = given
                .list
                .page_query(raw.spec(), &given.call)
                .map_err(to_napi)?;
            let listed = raw.list_with(&q, &JsonTextRows).await.map_err(to_napi)?;
            let page = listed.shown_page();
            let next_page = listed
                .next_query(&q)
                .and_then(|next| next.page)
                .map(|next| next.number);
            Ok(NativePage {
                next_page,
                rows_json: json_array(&listed.rows),
                total: listed.total.map(|t| t as i64),
                page: page.number,
                page_size: page.size,
                request_id: listed.request_id,
            })
        })
        .await
    }

    /// Every matching row, fetched a page at a time.
    #[napi]
    pub fn iterate(&self, resource_name: String, send: Option<SendOptions>) -> Result<NativeRows> {
        guarded_sync(|| {
            let (raw, given) = resource(&self.inner, &resource_name, send, Taker::Iterate)?;
            let args = given.list;
            let q = args.walk_query(raw.spec(), &given.call).map_err(to_napi)?;
            let page_size = args.page_size.unwrap_or(raw.page_size());
            Ok(NativeRows::new(
                raw.iterate_with(q, Some(page_size), JsonTextRows).boxed(),
                page_size,
            ))
        })
    }

    #[napi]
    pub async fn create(
        &self,
        resource_name: String,
        input: String,
        send: Option<SendOptions>,
    ) -> Result<String> {
        let (raw, given) = resource(&self.inner, &resource_name, send, Taker::Create)?;
        let options = given.call;
        let input: Value = parse(&input, "the body")?;
        guarded(async move {
            let row = raw.create_with(&input, &options, &JsonTextRows).await;
            row.map(text).map_err(to_napi)
        })
        .await
    }

    #[napi]
    pub async fn update(
        &self,
        resource_name: String,
        id: String,
        patch: String,
        send: Option<SendOptions>,
    ) -> Result<String> {
        let (raw, given) = resource(&self.inner, &resource_name, send, Taker::Update)?;
        let options = given.call;
        let patch: Value = parse(&patch, "the patch")?;
        guarded(async move {
            let row = raw
                .update_with(parse_id(&raw, &id)?, &patch, &options, &JsonTextRows)
                .await;
            row.map(text).map_err(to_napi)
        })
        .await
    }

    #[napi]
    pub async fn delete(
        &self,
        resource_name: String,
        id: String,
        send: Option<SendOptions>,
    ) -> Result<()> {
        let (raw, given) = resource(&self.inner, &resource_name, send, Taker::Delete)?;
        let options = given.call;
        guarded(async move {
            let id = parse_id(&raw, &id)?;
            raw.delete_with(id, &options).await.map_err(to_napi)
        })
        .await
    }

    /// Items with an `id` update that object; items without one create.
    #[napi]
    pub async fn bulk_write(
        &self,
        resource_name: String,
        items: String,
        send: Option<SendOptions>,
    ) -> Result<Vec<Value>> {
        let (raw, given) = resource(&self.inner, &resource_name, send, Taker::BulkWrite)?;
        let options = given.call;
        let items: Vec<Value> = parse(&items, "the items")?;
        guarded(async move {
            let written = raw.bulk_write_json_with(items, &options).await;
            written.map_err(to_napi)
        })
        .await
    }

    #[napi]
    pub async fn invite(
        &self,
        resource_name: String,
        body: String,
        send: Option<SendOptions>,
    ) -> Result<Value> {
        let (raw, given) = resource(&self.inner, &resource_name, send, Taker::Invite)?;
        let options = given.call;
        let body: Value = parse(&body, "the body")?;
        guarded(async move { raw.invite_with(&body, &options).await.map_err(to_napi) }).await
    }

    /// Panics inside the guard: how the tests prove a Rust panic reaches
    /// JavaScript as a `PigelloError` and nothing worse.
    #[napi(js_name = "_panicForTests")]
    pub async fn panic_for_tests(&self) -> Result<()> {
        guarded(async { panic!("deliberate panic") }).await
    }
}
