//! `NativeRows`: every row of a list, handed to JavaScript a page at a time as
//! the JSON text of an array (which `JSON.parse` reads faster than napi hands
//! over objects), so `for await` costs one native call per page.

use std::sync::Arc;

use futures_util::StreamExt;
use futures_util::stream::BoxStream;
use napi::bindgen_prelude::*;
use napi_derive::napi;
use pigello::client::json_array;
use serde_json::value::RawValue;
use tokio::sync::Mutex;

use crate::errors::to_napi;
use crate::guard::guarded;

type RowStream = BoxStream<'static, pigello::Result<Box<RawValue>>>;

#[napi]
pub struct NativeRows {
    stream: Arc<Mutex<RowStream>>,
    page_size: usize,
}

impl NativeRows {
    pub fn new(stream: RowStream, page_size: u32) -> Self {
        NativeRows {
            stream: Arc::new(Mutex::new(stream)),
            page_size: page_size.max(1) as usize,
        }
    }
}

#[napi]
impl NativeRows {
    /// Up to a page of more rows, as the JSON text of an array; `[]` once
    /// every row was given.
    #[napi]
    pub async fn next_batch(&self) -> Result<String> {
        let (stream, page_size) = (self.stream.clone(), self.page_size);
        guarded(async move {
            let mut stream = stream.lock().await;
            let mut batch = Vec::with_capacity(page_size);
            while batch.len() < page_size {
                match stream.next().await {
                    Some(row) => batch.push(row.map_err(to_napi)?),
                    None => break,
                }
            }
            Ok(json_array(&batch))
        })
        .await
    }
}
