//! `NativeRows`: every row of a list, handed to JavaScript a batch at a time
//! (a batch is at most a page), so `for await` costs one native call per page.

use std::sync::Arc;

use futures_util::StreamExt;
use futures_util::stream::BoxStream;
use napi::bindgen_prelude::*;
use napi_derive::napi;
use serde_json::Value;
use tokio::sync::Mutex;

use crate::errors::to_napi;
use crate::guard::guarded;

type RowStream = BoxStream<'static, pigello::Result<Value>>;

#[napi]
pub struct NativeRows {
    stream: Arc<Mutex<RowStream>>,
}

impl NativeRows {
    pub fn new(stream: RowStream) -> Self {
        NativeRows {
            stream: Arc::new(Mutex::new(stream)),
        }
    }
}

#[napi]
impl NativeRows {
    /// Up to `max` more rows; an empty array once every row was given.
    #[napi]
    pub async fn next_batch(&self, max: u32) -> Result<Vec<Value>> {
        let stream = self.stream.clone();
        guarded(async move {
            let mut stream = stream.lock().await;
            let mut batch = Vec::new();
            while batch.len() < max.max(1) as usize {
                match stream.next().await {
                    Some(row) => batch.push(row.map_err(to_napi)?),
                    None => break,
                }
            }
            Ok(batch)
        })
        .await
    }
}
