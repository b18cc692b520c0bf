//! The calls of one resource (`ResourceCalls`), what they share: the core's
//! handle, the client they belong to, and how each call is built unsent and
//! turned into Python values once answered. The methods Python sees are in
//! `resource.rs`.

use std::future::Future;

use futures_util::StreamExt;
use pyo3::prelude::*;

use pigello::client::{CallOptions, GivenOptions, RawHandle, RequestOptions};
use pigello::description::ResourceSpec;
use pigello::query::ListQuery;

use crate::call::answer::Answer;
use crate::call::pending::{CallState, PendingCall};
use crate::call::runtime::{Executor, OwnerProcess, ProcessBound};
use crate::interop::arrow::BatchStream;
use crate::values::errors::to_py;

/// Which client a resource's calls belong to: what a page's `next_page()`
/// gives back (a result, or a coroutine of it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClientKind {
    Blocking,
    Awaitable,
}

/// The calls of one resource, each returned unsent.
#[pyclass(module = "pigello._native", name = "ResourceCalls", frozen)]
pub struct ResourceCalls {
    pub(crate) raw: ProcessBound<RawHandle>,
    pub(crate) spec: &'static ResourceSpec,
    pub(crate) owner: OwnerProcess,
    pub kind: ClientKind,
    /// What runs the calls a blocking client waits for.
    pub(crate) executor: Executor,
}

impl ResourceCalls {
    pub fn new(
        client: pigello::Client,
        spec: &'static ResourceSpec,
        owner: OwnerProcess,
        (kind, executor): (ClientKind, Executor),
    ) -> Self {
        ResourceCalls {
            raw: ProcessBound::new(client.resource(spec)),
            spec,
            owner,
            kind,
            executor,
        }
    }

    /// What runs this resource's blocking calls, and where its client was made.
    pub fn runner(&self) -> (Executor, OwnerProcess) {
        (self.executor.clone(), self.owner)
    }

    /// The resource's handle for one call: its own options, a fresh token
    /// that Ctrl-C cancels and a recorder of its answer (see `PendingCall`).
    pub(crate) fn for_call(&self, options: RequestOptions) -> (RawHandle, CallState) {
        let traced = self.raw.telemetry_wanted();
        let telemetry = Python::attach(|py| {
            crate::api::logging::refresh(py);
            traced.then(|| crate::api::telemetry::current(py)).flatten()
        });
        let state = CallState::default();
        let mut options = options
            .cancel(state.cancel.clone())
            .record(state.record.clone());
        options.telemetry = telemetry;
        (self.raw.with_options(&options), state)
    }

    /// [`ResourceCalls::for_call`] with a call's own request options, and
    /// what it sends beyond its arguments (`extra_query=`, `extra_body=`).
    pub(crate) fn sending(&self, given: GivenOptions) -> (RawHandle, CallState, CallOptions) {
        let (raw, state) = self.for_call(given.request);
        (raw, state, given.call)
    }

    /// A core call, unsent; `convert` turns its result into Python values
    /// once it is answered.
    pub(crate) fn finish<T, F>(
        &self,
        (call, state): (F, CallState),
        convert: fn(Python<'_>, &'static ResourceSpec, T) -> PyResult<Py<PyAny>>,
    ) -> PyResult<PendingCall>
    where
        T: Send + 'static,
        F: Future<Output = pigello::Result<T>> + Send + 'static,
    {
        self.owner.check("client")?;
        let spec = self.spec;
        let record = state.record.clone();
        let work = async move {
            let value = call.await.map_err(to_py)?;
            let request_id = record.last().and_then(|answer| answer.request_id);
            let finish: Answer = Box::new(move |py| {
                let value = convert(py, spec, value)?;
                crate::values::model::stamp(value.bind(py), request_id.as_deref())?;
                Ok(value)
            });
            Ok(finish)
        };
        Ok(PendingCall::new(self.runner(), work, state))
    }

    /// The batches of a query built elsewhere (a partition's), fetched as
    /// they are read.
    pub fn walk(&self, query: ListQuery, page_size: Option<u32>) -> PyResult<BatchStream> {
        self.owner.check("client")?;
        let (raw, _) = self.for_call(RequestOptions::default());
        Ok(raw.batches(query, page_size).boxed())
    }
}
