//! Walking pages, and reading a JSON-lines answer row by row.

use std::collections::VecDeque;

use futures_util::{Stream, StreamExt, TryStreamExt, stream};
use serde_json::Value;

use super::Client;
use super::handle::RawHandle;
use super::rows::RowDecoder;
use super::transport::Call;
use crate::query::{ListQuery, Page};
use crate::{Error, Result};

/// Rows of `_page=1, 2, …` of `size` rows each, until a page says it is the
/// last ([`super::ListPage::has_next`]). Holds one page at a time.
pub(crate) fn pages<D: RowDecoder>(
    handle: RawHandle,
    query: ListQuery,
    size: u32,
    decoder: D,
) -> impl Stream<Item = Result<D::Row>> + Send + 'static {
    let start = Some((handle, query, 1u32, decoder));
    stream::try_unfold(start, move |state| async move {
        let Some((handle, mut query, number, decoder)) = state else {
            return Ok::<_, Error>(None);
        };
        query.page = Some(Page { number, size });
        let page = handle.list_with(&query, &decoder).await?;
        let next = page
            .has_next()
            .then_some((handle, query, number + 1, decoder));
        Ok(Some((stream::iter(page.rows.into_iter().map(Ok)), next)))
    })
    .try_flatten()
}

enum Lines {
    Start(Client, Call),
    Reading {
        response: reqwest::Response,
        partial: Vec<u8>,
        ready: VecDeque<Value>,
    },
    Done,
}

/// The rows of one `application/jsonl` answer, decoded as they arrive.
pub(crate) fn json_lines(
    client: Client,
    call: Call,
    model: &'static str,
) -> impl Stream<Item = Result<Value>> + Send + 'static {
    stream::try_unfold(Lines::Start(client, call), move |mut state| async move {
        loop {
            state = match state {
                Lines::Done => return Ok::<_, Error>(None),
                Lines::Start(client, call) => Lines::Reading {
                    response: client.send(&call).await?,
                    partial: Vec::new(),
                    ready: VecDeque::new(),
                },
                Lines::Reading {
                    mut response,
                    mut partial,
                    mut ready,
                } => {
                    if let Some(row) = ready.pop_front() {
                        return Ok(Some((
                            row,
                            Lines::Reading {
                                response,
                                partial,
                                ready,
                            },
                        )));
                    }
                    let chunk = response.chunk().await.map_err(|e| Error::Connection {
                        method: "GET",
                        path: response.url().path().to_owned(),
                        outcome: super::Outcome::Unknown,
                        message: format!("the streamed answer was cut off ({})", e.without_url()),
                        attempts: 1,
                    })?;
                    match chunk {
                        Some(bytes) => {
                            partial.extend_from_slice(&bytes);
                            let mut consumed = 0;
                            while let Some(end) =
                                partial[consumed..].iter().position(|b| *b == b'\n')
                            {
                                let line = &partial[consumed..consumed + end];
                                if !line.iter().all(u8::is_ascii_whitespace) {
                                    ready.push_back(crate::decode(model, line)?);
                                }
                                consumed += end + 1;
                            }
                            partial.drain(..consumed);
                            Lines::Reading {
                                response,
                                partial,
                                ready,
                            }
                        }
                        None if partial.iter().all(u8::is_ascii_whitespace) => Lines::Done,
                        None => {
                            let row = crate::decode(model, &partial)?;
                            return Ok(Some((row, Lines::Done)));
                        }
                    }
                }
            }
        }
    })
    .boxed()
}
