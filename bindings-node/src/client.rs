//! `NativeClient`: the core client, one method per operation, each taking the
//! resource's property name. `index.js` wraps it in `Client` and its resource
//! objects.

use futures_util::StreamExt;
use napi::bindgen_prelude::*;
use napi_derive::napi;
use serde_json::Value;
use serde_json::value::RawValue;
use uuid::Uuid;

use pigello::client::{
    CallOptions, ClientBuilder, JsonTextRows, RawHandle, RequestOptions, json_array,
};
use pigello::{Credentials, Spelling};

use crate::errors::{invalid_argument, to_napi};
use crate::guard::{guarded, guarded_sync};
use crate::json::parse;
use crate::options::{ListOptions, SendOptions, request_options};
use crate::rows::NativeRows;

/// The options of `new Client(...)`, camelCase as Node expects.
#[napi(object)]
pub struct ClientOptions {
    pub customer_id: Option<String>,
    pub application_id: Option<String>,
    pub service_id: Option<String>,
    pub service_version_id: Option<String>,
    pub client_ct: Option<String>,
    pub client_object_id: Option<String>,
    pub client_secret: Option<String>,
    /// Production when absent.
    pub base_url: Option<String>,
    /// Per attempt, in milliseconds (default 60 000).
    pub timeout: Option<f64>,
    /// Retries after the first attempt (default 2).
    pub max_retries: Option<u32>,
    /// Headers for every request, as JSON text of an object of strings.
    pub default_headers: Option<String>,
    /// The log tag (`newLogTag()`) of the client's `logger` and `logLevel`.
    pub log_tag: Option<u32>,
}

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

/// A client's settings (`{ timeout, maxRetries, defaultHeaders }`).
pub fn settings(send: Option<SendOptions>) -> Result<RequestOptions> {
    SendOptions::into_core(send, "defaultHeaders")
}

/// The credentials from the options; a missing one is an error naming its
/// option, never showing a value.
fn credentials(options: &mut ClientOptions) -> Result<Credentials> {
    let mut values = [
        options.customer_id.take(),
        options.application_id.take(),
        options.service_id.take(),
        options.service_version_id.take(),
        options.client_ct.take(),
        options.client_object_id.take(),
        options.client_secret.take(),
    ]
    .into_iter();
    Credentials::from_values(|_| values.next().flatten(), Spelling::Camel).map_err(to_napi)
}

/// The resource behind a client property name (`tenants`, `organizationUsers`),
/// on the client with one call's own options, and what the call sends beyond
/// its arguments.
fn resource(
    client: &pigello::Client,
    property: &str,
    send: Option<SendOptions>,
) -> Result<(RawHandle, CallOptions)> {
    let spec = pigello::resources::ALL
        .iter()
        .find(|spec| spec.camel_plural == property)
        .ok_or_else(|| invalid_argument(format!("no resource is called {property:?}")))?;
    let options = SendOptions::call_options(send.as_ref())?;
    let raw = client
        .resource(spec)
        .with_options(&SendOptions::into_core(send, "headers")?);
    Ok((raw, options))
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
    pub fn new(mut options: ClientOptions) -> Result<Self> {
        guarded_sync(|| {
            let mut settings = request_options(
                options.timeout,
                options.max_retries,
                options.default_headers.as_deref(),
                "defaultHeaders",
            )?;
            if let Some(tag) = options.log_tag {
                settings = settings.log_tag(tag.into());
            }
            let credentials = credentials(&mut options)?;
            let inner = build(
                pigello::Client::builder()
                    .credentials(credentials)
                    .base_url_if_set(options.base_url.take()),
                &settings,
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
        let (raw, options) = resource(&self.inner, &resource_name, send)?;
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
        options: ListOptions,
        send: Option<SendOptions>,
    ) -> Result<NativePage> {
        let (raw, call) = resource(&self.inner, &resource_name, send)?;
        guarded(async move {
            let q = options
                .into_core()?
                .page_query(raw.spec(), &call)
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
    pub fn iterate(
        &self,
        resource_name: String,
        options: ListOptions,
        send: Option<SendOptions>,
    ) -> Result<NativeRows> {
        guarded_sync(|| {
            let (raw, call) = resource(&self.inner, &resource_name, send)?;
            let args = options.into_core()?;
            let q = args.walk_query(raw.spec(), &call).map_err(to_napi)?;
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
        let (raw, options) = resource(&self.inner, &resource_name, send)?;
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
        let (raw, options) = resource(&self.inner, &resource_name, send)?;
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
        let (raw, options) = resource(&self.inner, &resource_name, send)?;
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
        let (raw, options) = resource(&self.inner, &resource_name, send)?;
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
        let (raw, options) = resource(&self.inner, &resource_name, send)?;
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
