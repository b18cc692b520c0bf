//! Walking pages, and reading a JSON-lines answer row by row.

use std::collections::VecDeque;
use std::future::Future;

use futures_util::{Stream, StreamExt, TryStreamExt, stream};
use serde::de::DeserializeOwned;

use super::Client;
use super::page::ListPage;
use super::transport::Call;
use crate::query::{ListQuery, Page};
use crate::{Error, Result};

/// Rows of `_page=1, 2, …` of `size` rows each, fetched by `fetch`, until a
/// page says it is the last ([`ListPage::has_next`]). Holds one page at a time.
pub(crate) fn pages<R, F, Fut>(
    query: ListQuery,
    size: u32,
    fetch: F,
) -> impl Stream<Item = Result<R>> + Send + 'static
where
    R: Send + 'static,
    F: Fn(ListQuery) -> Fut + Send + 'static,
    Fut: Future<Output = Result<ListPage<R>>> + Send,
{
    let start = Some((query, 1u32));
    stream::try_unfold((start, fetch), move |(state, fetch)| async move {
        let Some((mut query, number)) = state else {
            return Ok::<_, Error>(None);
        };
        query.page = Some(Page { number, size });
        let page = fetch(query.clone()).await?;
        let next = page.has_next().then_some((query, number + 1));
        Ok(Some((
            stream::iter(page.rows.into_iter().map(Ok)),
            (next, fetch),
        )))
    })
    .try_flatten()
}

enum Lines<T> {
    Start(Client, Call),
    Reading {
        response: reqwest::Response,
        /// The longest wait for the next piece of the answer.
        timeout: std::time::Duration,
        partial: Vec<u8>,
        ready: VecDeque<T>,
    },
    Done,
}

/// The rows of one `application/jsonl` answer, each line decoded straight into
/// a `T` as it arrives.
pub(crate) fn json_lines<T: DeserializeOwned + Send + 'static>(
    client: Client,
    call: Call,
    model: &'static str,
) -> impl Stream<Item = Result<T>> + Send + 'static {
    stream::try_unfold(Lines::Start(client, call), move |mut state| async move {
        loop {
            state = match state {
                Lines::Done => return Ok::<_, Error>(None),
                Lines::Start(client, call) => Lines::Reading {
                    response: client.send(&call).await?,
                    timeout: client.timeout(),
                    partial: Vec::new(),
                    ready: VecDeque::new(),
                },
                Lines::Reading {
                    mut response,
                    timeout,
                    mut partial,
                    mut ready,
                } => {
                    if let Some(row) = ready.pop_front() {
                        return Ok(Some((
                            row,
                            Lines::Reading {
                                response,
                                timeout,
                                partial,
                                ready,
                            },
                        )));
                    }
                    let next = tokio::time::timeout(timeout, response.chunk()).await;
                    let next = next.map_err(|_| Error::Timeout {
                        method: "GET",
                        path: response.url().path().to_owned(),
                        outcome: super::Outcome::Unknown,
                        after: timeout,
                        attempts: 1,
                    })?;
                    let chunk = next.map_err(|e| Error::Connection {
                        method: "GET",
                        path: response.url().path().to_owned(),
                        outcome: super::Outcome::Unknown,
                        message: super::transport::connection_message(
                            super::Outcome::Unknown,
                            &format!("the streamed answer was cut off ({})", e.without_url()),
                        ),
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
                                timeout,
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
