//! Every operation of one resource: JSON in and out ([`RawHandle`], what the
//! bindings use) and typed ([`Handle`], what Rust programs use).

use std::marker::PhantomData;

#[cfg(feature = "arrow")]
use arrow_array::RecordBatch;
use bytes::Bytes;
use futures_util::{Stream, StreamExt};
use reqwest::Method;
use serde_json::{Map, Value};
use uuid::Uuid;

use super::body::{read_body, with_excerpt};
use super::bulk::{BulkItem, write_in_chunks};
use super::options::{CallOptions, RequestOptions, split_extra};
use super::page::ListPage;
use super::query::{Query, with_id_tiebreak};
use super::rows::{JsonRows, RowDecoder, TypedRows};
#[cfg(feature = "arrow")]
use super::stream::WholePage;
use super::stream::{json_lines, pages};
use super::transport::{Call, header};
use super::{Client, Invitable};
use crate::description::{ResourceSpec, Taker};
use crate::query::{ListQuery, check_page_param};
use crate::validate::{Mode, Path, Rule, ValidationError, Violation, client_write};
use crate::{Error, Input, Resource, Result};

/// Every operation of one resource, on JSON values. Bodies are checked against
/// every documented rule before anything is sent.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use serde_json::json;
/// # let sandbox = pigello_sandbox::Sandbox::start(Default::default()).await?;
/// # let client = pigello::Client::builder().base_url(sandbox.url()).credentials(sandbox.credentials()).build()?;
///
/// let roles = client.resource(&pigello::resources::WORK_ENGAGEMENT);
/// let created = roles.create(&json!({"name": "Städ", "color_code": "0a0"})).await?;
/// assert_eq!(created["name"], "Städ");
/// let refused = roles.create(&json!({"name": "x", "color_code": "nope"})).await.unwrap_err();
/// assert!(refused.to_string().contains("color_code"));
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct RawHandle {
    client: Client,
    spec: &'static ResourceSpec,
}

impl RawHandle {
    pub(crate) fn new(client: Client, spec: &'static ResourceSpec) -> Self {
        RawHandle { client, spec }
    }

    /// The resource's description.
    pub fn spec(&self) -> &'static ResourceSpec {
        self.spec
    }

    /// Whether its client's calls are traced ([`Client::telemetry_wanted`]).
    pub fn telemetry_wanted(&self) -> bool {
        self.client.telemetry_wanted()
    }

    /// The span of `taker`'s operation on this resource, when it may send
    /// several requests and telemetry is wanted: neither this client (the
    /// `telemetry` option) nor the process (`PIGELLO_TELEMETRY=off`) turns
    /// it off, as for the requests' own spans.
    pub fn operation(&self, taker: Taker) -> Option<crate::telemetry::Operation> {
        if !self.telemetry_wanted() || crate::telemetry::off_by_env() {
            return None;
        }
        crate::telemetry::Operation::of(self.spec(), taker)
    }

    /// The same resource on a client derived with `options` (see
    /// [`Client::with_options`]): how a binding applies per-call options.
    pub fn with_options(&self, options: &RequestOptions) -> RawHandle {
        if options.is_empty() {
            return self.clone();
        }
        RawHandle::new(self.client.with_options(options), self.spec)
    }

    /// A list query for this resource.
    pub fn query(&self) -> Query {
        Query::new(self.spec)
    }

    /// The rows per request of a walk over every page that names no page
    /// size (the client's setting).
    pub fn page_size(&self) -> u32 {
        self.client.page_size
    }

    /// An id as a binding receives it, as text: not a uuid is a validation
    /// error at `id`, raised before anything is sent.
    ///
    /// ```
    /// # let client = pigello::Client::builder().credentials(pigello::Credentials::new(
    /// #     "c", "a", "s", "v", "ct", "o", "secret")).build().unwrap();
    /// let tenants = client.resource(&pigello::resources::TENANT);
    /// let error = tenants.parse_id("not-a-uuid").unwrap_err();
    /// assert_eq!((error.class_name(), error.issues()[0].rule.as_str()), ("ValidationError", "uuid"));
    /// ```
    pub fn parse_id(&self, text: &str) -> Result<Uuid> {
        Uuid::try_parse(text).map_err(|_| {
            let problem =
                Violation::new(Path::root().key("id"), Rule::Uuid, "an id must be a uuid");
            ValidationError {
                resource: self.spec.name,
                violations: vec![problem],
            }
            .into()
        })
    }

    /// One object.
    pub async fn get(&self, id: Uuid) -> Result<Value> {
        self.get_with(id, &CallOptions::default(), &JsonRows).await
    }

    /// One object with options (a get has no body: only `extra_query`
    /// applies), decoded by `decoder`.
    pub async fn get_with<D: RowDecoder>(
        &self,
        id: Uuid,
        options: &CallOptions,
        decoder: &D,
    ) -> Result<D::Row> {
        let call = self.call(Call::for_id(Method::GET, &self.spec.paths, &id), options)?;
        self.answer(&call, decoder).await
    }

    /// A call without a body, with the options' query parameters; extra body
    /// fields are refused, since nothing would carry them.
    fn call(&self, mut call: Call, options: &CallOptions) -> Result<Call> {
        options.refuse_body(&call.method, &call.path)?;
        call.query = options.query_string(self.spec)?;
        Ok(call)
    }

    /// A call with a JSON body, with the options' query parameters (the
    /// extra body fields are already in `body`).
    fn call_with_body(&self, call: Call, body: &Value, options: &CallOptions) -> Result<Call> {
        let mut call = call.json(body)?;
        call.query = options.query_string(self.spec)?;
        Ok(call)
    }

    /// One page of rows (every matching row if the query names no page).
    pub async fn list(&self, query: &ListQuery) -> Result<ListPage<Value>> {
        self.list_with(query, &JsonRows).await
    }

    /// One page, its rows decoded by `decoder`.
    pub async fn list_with<D: RowDecoder>(
        &self,
        query: &ListQuery,
        decoder: &D,
    ) -> Result<ListPage<D::Row>> {
        let (body, page) = self.list_body(query).await?;
        let rows = decoder
            .decode_rows(self.spec, body.clone())
            .map_err(|e| with_excerpt(e, &body))?;
        Ok(ListPage {
            rows,
            total: page.total,
            page: page.page,
            request_id: page.request_id,
        })
    }

    /// One page's body, undecoded, and what its headers say (in `rows`, nothing).
    async fn list_body(&self, query: &ListQuery) -> Result<(Bytes, ListPage<()>)> {
        let mut call = Call::new(Method::GET, self.spec.paths.list);
        call.query = query.to_query_string();
        let answer = self.client.send(&call).await?;
        let total = header(&answer, "x-total-count").and_then(|v| v.parse().ok());
        let request_id = header(&answer, "x-request-id");
        let body = read_body(&call, answer).await?;
        let page = ListPage {
            rows: Vec::new(),
            total,
            page: query.page,
            request_id,
        };
        Ok((body, page))
    }

    /// One page as an Arrow record batch of [`crate::arrow::schema`], its
    /// bytes decoded straight into the columns.
    #[cfg(feature = "arrow")]
    pub async fn list_batch(&self, query: &ListQuery) -> Result<ListPage<RecordBatch>> {
        let (body, page) = self.list_body(query).await?;
        let batch =
            crate::arrow::decode_page(self.spec, &body).map_err(|e| with_excerpt(e, &body))?;
        Ok(ListPage {
            rows: vec![batch],
            total: page.total,
            page: page.page,
            request_id: page.request_id,
        })
    }

    /// Every matching row as Arrow record batches, one per page of
    /// `page_size` rows (the client's default if `None`), the next page
    /// fetched while one is read: at most two pages are held at a time, however
    /// many rows there are. An empty list gives no batch.
    #[cfg(feature = "arrow")]
    pub fn batches(
        &self,
        query: ListQuery,
        page_size: Option<u32>,
    ) -> impl Stream<Item = Result<RecordBatch>> + Send + 'static {
        let size = page_size.unwrap_or(self.client.page_size);
        if let Err(refused) = self.check_page_size(size) {
            return futures_util::stream::once(async { Err(refused) }).left_stream();
        }
        let handle = self.clone();
        pages(with_id_tiebreak(query), size, move |query| {
            let handle = handle.clone();
            async move {
                let page = handle.list_batch(&query).await?;
                let rows = page.rows.first().map_or(0, RecordBatch::num_rows);
                let more = page.has_next_after(rows);
                // An empty page (the last, or the only one) adds no batch.
                let batch = page.rows.into_iter().find(|batch| batch.num_rows() > 0);
                Ok(WholePage { item: batch, more })
            }
        })
        .right_stream()
    }

    /// Every matching row, page after page (`page_size` rows per request, the
    /// client's default if `None`). One page is held at a time. Rows are ordered
    /// by the query's keys and then by `id`, so no row is lost or repeated while
    /// the data does not change.
    pub fn iterate(
        &self,
        query: ListQuery,
        page_size: Option<u32>,
    ) -> impl Stream<Item = Result<Value>> + Send + 'static {
        self.iterate_with(query, page_size, JsonRows)
    }

    /// A walk's page size, checked with the same bounds as a page of `list`
    /// before anything is sent.
    fn check_page_size(&self, size: u32) -> Result<()> {
        check_page_param("_page_size", size.into()).map_err(|problem| Error::Query {
            resource: self.spec.name,
            problems: vec![problem],
        })?;
        Ok(())
    }

    /// Like [`RawHandle::iterate`], the rows decoded by `decoder`.
    pub fn iterate_with<D: RowDecoder>(
        &self,
        query: ListQuery,
        page_size: Option<u32>,
        decoder: D,
    ) -> impl Stream<Item = Result<D::Row>> + Send + 'static {
        let size = page_size.unwrap_or(self.client.page_size);
        if let Err(refused) = self.check_page_size(size) {
            return futures_util::stream::once(async { Err(refused) }).left_stream();
        }
        let handle = self.clone();
        pages(with_id_tiebreak(query), size, move |query| {
            let (handle, decoder) = (handle.clone(), decoder.clone());
            async move { handle.list_with(&query, &decoder).await }
        })
        .right_stream()
    }

    /// Every matching row in one streamed answer (`_jsonl=true`), decoded line
    /// by line: memory stays flat however many rows there are.
    pub fn stream(&self, query: ListQuery) -> impl Stream<Item = Result<Value>> + Send + 'static {
        self.stream_as(query)
    }

    /// Like [`RawHandle::stream`], each line decoded straight into a `T`.
    pub fn stream_as<T: serde::de::DeserializeOwned + Send + 'static>(
        &self,
        query: ListQuery,
    ) -> impl Stream<Item = Result<T>> + Send + 'static {
        let mut query = with_id_tiebreak(query);
        query.jsonl = true;
        query.page = None;
        let mut call = Call::new(Method::GET, self.spec.paths.list);
        call.query = query.to_query_string();
        call.streamed = true;
        json_lines(self.client.clone(), call, self.spec.name)
    }

    /// Creates an object from a JSON body. A key the resource does not document
    /// is refused (rule `unknown_field`); send such a field on purpose with
    /// [`CallOptions::extra_body`] through [`RawHandle::create_with`].
    pub async fn create(&self, body: &Value) -> Result<Value> {
        self.create_with(body, &CallOptions::default(), &JsonRows)
            .await
    }

    /// Creates an object with options, the answer decoded by `decoder`.
    pub async fn create_with<D: RowDecoder>(
        &self,
        body: &Value,
        options: &CallOptions,
        decoder: &D,
    ) -> Result<D::Row> {
        let body = self.checked(body, options, Mode::Create)?;
        let call = Call::new(Method::POST, self.spec.paths.collection);
        let call = self.call_with_body(call, &body, options)?;
        self.answer(&call, decoder).await
    }

    /// Updates an object: keys left out stay as they are, `null` clears. A key
    /// the resource does not document is refused, as on create.
    pub async fn update(&self, id: Uuid, patch: &Value) -> Result<Value> {
        self.update_with(id, patch, &CallOptions::default(), &JsonRows)
            .await
    }

    /// Updates an object with options, the answer decoded by `decoder`.
    pub async fn update_with<D: RowDecoder>(
        &self,
        id: Uuid,
        patch: &Value,
        options: &CallOptions,
        decoder: &D,
    ) -> Result<D::Row> {
        let patch = self.checked(patch, options, Mode::Patch)?;
        let call = Call::for_id(Method::PATCH, &self.spec.paths, &id);
        let call = self.call_with_body(call, &patch, options)?;
        self.answer(&call, decoder).await
    }

    /// Deletes an object. A DELETE repeated after a lost answer that finds the
    /// object gone counts as done.
    pub async fn delete(&self, id: Uuid) -> Result<()> {
        self.delete_with(id, &CallOptions::default()).await
    }

    /// Deletes an object with options (only `extra_query` applies).
    pub async fn delete_with(&self, id: Uuid, options: &CallOptions) -> Result<()> {
        let call = self.call(Call::for_id(Method::DELETE, &self.spec.paths, &id), options)?;
        self.client.send(&call).await.map(drop)
    }

    /// Writes items in bulk: every item is checked first (a key the resource
    /// does not document is refused), then they are sent in chunks (the
    /// client's `bulk_chunk_size`), in order. Returns the written rows.
    pub async fn bulk_write(&self, items: &[BulkItem<Value>]) -> Result<Vec<Value>> {
        let none = Map::new();
        let options = CallOptions::default();
        self.bulk_write_parts(items.iter().map(|item| (item, &none)), &options)
            .await
    }

    /// Writes JSON items in bulk, as a binding receives them: an item with an
    /// `id` updates that object (see [`BulkItem::from_json`]). Every item is
    /// checked, its id and its fields, before anything is sent.
    pub async fn bulk_write_json(&self, items: Vec<Value>) -> Result<Vec<Value>> {
        self.bulk_write_json_with(items, &CallOptions::default())
            .await
    }

    /// [`RawHandle::bulk_write_json`] with options: `extra_body` is added to
    /// every item (and checked there), `extra_query` to every request.
    pub async fn bulk_write_json_with(
        &self,
        items: Vec<Value>,
        options: &CallOptions,
    ) -> Result<Vec<Value>> {
        let mut violations = Vec::new();
        let mut parsed = Vec::with_capacity(items.len());
        for (i, item) in items.into_iter().enumerate() {
            match BulkItem::from_json(item, i) {
                Ok(item) => parsed.push(item),
                Err(violation) => violations.push(violation),
            }
        }
        ValidationError::check(self.spec.name, violations)?;
        let extra = &options.extra_body;
        self.bulk_write_parts(parsed.iter().map(|item| (item, extra)), options)
            .await
    }

    /// Bulk items, each with the extra fields it sends on purpose.
    pub(crate) async fn bulk_write_parts<'a>(
        &self,
        items: impl ExactSizeIterator<Item = (&'a BulkItem<Value>, &'a Map<String, Value>)>,
        options: &CallOptions,
    ) -> Result<Vec<Value>> {
        let mut violations = Vec::new();
        let mut bodies = Vec::with_capacity(items.len());
        for (i, (item, extra)) in items.enumerate() {
            let (body, mode) = match item {
                BulkItem::Create(body) => (body, Mode::Create),
                BulkItem::Update(_, patch) => (patch, Mode::Patch),
            };
            let (body, found) = client_write(self.spec, body, extra, mode, &Path::root().index(i));
            violations.extend(found);
            bodies.push(match item {
                BulkItem::Create(_) => BulkItem::Create(body),
                BulkItem::Update(id, _) => BulkItem::Update(*id, body),
            });
        }
        ValidationError::check(self.spec.name, violations)?;
        let bodies: Vec<Value> = bodies.iter().map(BulkItem::to_body).collect();
        let query = options.query_string(self.spec)?;
        write_in_chunks(&self.client, self.spec, &bodies, &query).await
    }

    /// Calls the resource's invite endpoint with any JSON body (a point in
    /// time in it is sent as its date-time).
    pub async fn invite(&self, body: &Value) -> Result<Value> {
        self.invite_with(body, &CallOptions::default()).await
    }

    /// [`RawHandle::invite`] with options: `extra_body` is added to the body
    /// (which must then be an object), `extra_query` to the request.
    pub async fn invite_with(&self, body: &Value, options: &CallOptions) -> Result<Value> {
        let path = self
            .spec
            .invite_path
            .ok_or_else(|| Error::Config(format!("{} has no invite endpoint", self.spec.name)))?;
        let mut body = body.clone();
        if !options.extra_body.is_empty() {
            let Some(object) = body.as_object_mut() else {
                return Err(Error::Request {
                    method: "POST",
                    path: path.to_owned(),
                    message: format!(
                        "{} adds fields to an object, and this invite body is not one",
                        options.spelling.option("extra_body")
                    ),
                });
            };
            object.extend(options.extra_body.clone());
        }
        if let Some(too_deep) = crate::validate::nesting_violation(&body, &Path::root()) {
            return Err(ValidationError {
                resource: self.spec.name,
                violations: vec![too_deep],
            }
            .into());
        }
        crate::model::resolve_instants(&mut body, false);
        let call = self.call_with_body(Call::new(Method::POST, path), &body, options)?;
        self.answer(&call, &JsonRows).await
    }

    /// The body to send, once it holds no unknown key and breaks no rule.
    fn checked(&self, body: &Value, options: &CallOptions, mode: Mode) -> Result<Value> {
        let (body, violations) =
            client_write(self.spec, body, &options.extra_body, mode, &Path::root());
        ValidationError::check(self.spec.name, violations)?;
        Ok(body)
    }

    /// Sends a call and decodes the one object it answers with.
    async fn answer<D: RowDecoder>(&self, call: &Call, decoder: &D) -> Result<D::Row> {
        let answer = self.client.send(call).await?;
        let body = read_body(call, answer).await?;
        decoder
            .decode_row(self.spec, body.clone())
            .map_err(|e| with_excerpt(e, &body))
    }
}

fn from_value<R: Resource>(value: Value) -> Result<R> {
    let bytes = serde_json::to_vec(&value).map_err(|e| Error::Encode {
        model: R::SPEC.name,
        message: e.to_string(),
    })?;
    crate::decode(R::SPEC.name, &bytes)
}

/// Every operation of one resource, typed: `client.tenants().get(id)`.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use futures_util::TryStreamExt;
/// use pigello::prelude::*;
/// # let sandbox = pigello_sandbox::Sandbox::start(Default::default()).await?;
/// # let client = Client::builder().base_url(sandbox.url()).credentials(sandbox.credentials()).build()?;
///
/// let tenants = client.tenants();
/// let query = tenants.query().filter("first_name__isnull", false).order_by("first_name").build()?;
/// let first_page = tenants.list(&query.clone().with_page(1, 20)).await?;
/// let all: Vec<Tenant> = tenants.iterate(query, Some(500)).try_collect().await?;
/// assert!(first_page.rows.len() <= all.len());
///
/// let created = tenants.create(&TenantCreate::new().first_name("Anna")).await?;
/// let updated = tenants.update(created.id, &TenantPatch::new().last_name("Berg")).await?;
/// assert_eq!(tenants.get(created.id).await?, updated);
/// tenants.delete(created.id).await?;
/// # Ok(()) }
/// ```
#[derive(Debug)]
pub struct Handle<R> {
    raw: RawHandle,
    _resource: PhantomData<fn() -> R>,
}

impl<R> Clone for Handle<R> {
    fn clone(&self) -> Self {
        Handle {
            raw: self.raw.clone(),
            _resource: PhantomData,
        }
    }
}

impl<R: Resource> Handle<R> {
    pub(crate) fn new(client: Client) -> Self {
        Handle {
            raw: RawHandle::new(client, R::SPEC),
            _resource: PhantomData,
        }
    }

    /// The JSON-level handle of the same resource.
    pub fn raw(&self) -> &RawHandle {
        &self.raw
    }

    /// A list query for this resource.
    pub fn query(&self) -> Query {
        self.raw.query()
    }

    /// One object.
    pub async fn get(&self, id: Uuid) -> Result<R> {
        let options = CallOptions::default();
        self.raw.get_with(id, &options, &TypedRows::new()).await
    }

    /// One page of rows (every matching row if the query names no page).
    pub async fn list(&self, query: &ListQuery) -> Result<ListPage<R>> {
        self.raw.list_with(query, &TypedRows::new()).await
    }

    /// Every matching row, page after page; see [`RawHandle::iterate`].
    pub fn iterate(
        &self,
        query: ListQuery,
        page_size: Option<u32>,
    ) -> impl Stream<Item = Result<R>> + Send + 'static {
        self.raw.iterate_with(query, page_size, TypedRows::new())
    }

    /// Every matching row in one streamed answer; see [`RawHandle::stream`].
    pub fn stream(&self, query: ListQuery) -> impl Stream<Item = Result<R>> + Send + 'static {
        self.raw.stream_as(query)
    }

    /// Creates an object; fields added with `with_extra` are sent as they are.
    pub async fn create(&self, input: &R::Create) -> Result<R> {
        let (body, extra_body) = split_extra(R::SPEC, input.to_json()?);
        let options = CallOptions {
            extra_body,
            ..CallOptions::default()
        };
        self.raw
            .create_with(&body, &options, &TypedRows::new())
            .await
    }

    /// Updates an object with a tri-state patch.
    pub async fn update(&self, id: Uuid, patch: &R::Patch) -> Result<R> {
        let (body, extra_body) = split_extra(R::SPEC, patch.to_json()?);
        let options = CallOptions {
            extra_body,
            ..CallOptions::default()
        };
        self.raw
            .update_with(id, &body, &options, &TypedRows::new())
            .await
    }

    /// Deletes an object.
    pub async fn delete(&self, id: Uuid) -> Result<()> {
        self.raw.delete(id).await
    }

    /// Writes items in bulk; see [`RawHandle::bulk_write`].
    pub async fn bulk_write(&self, items: Vec<BulkItem<R>>) -> Result<Vec<R>> {
        let raw: Vec<(BulkItem<Value>, Map<String, Value>)> = items
            .iter()
            .map(|item| {
                Ok(match item {
                    BulkItem::Create(input) => {
                        let (body, extra) = split_extra(R::SPEC, input.to_json()?);
                        (BulkItem::Create(body), extra)
                    }
                    BulkItem::Update(id, patch) => {
                        let (body, extra) = split_extra(R::SPEC, patch.to_json()?);
                        (BulkItem::Update(*id, body), extra)
                    }
                })
            })
            .collect::<Result<_>>()?;
        self.raw
            .bulk_write_parts(
                raw.iter().map(|(item, extra)| (item, extra)),
                &CallOptions::default(),
            )
            .await?
            .into_iter()
            .map(from_value)
            .collect()
    }
}

impl<R: Resource + Invitable> Handle<R> {
    /// Calls the resource's invite endpoint (the body is untyped in the reference).
    pub async fn invite(&self, body: &Value) -> Result<Value> {
        self.raw.invite(body).await
    }
}
