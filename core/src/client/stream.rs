//! Walking pages, one fetched ahead, and reading a JSON-lines answer row by row.

use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_util::{Stream, StreamExt, TryStreamExt, stream};
use serde::de::DeserializeOwned;
use tokio::task::JoinHandle;

use super::Client;
use super::page::ListPage;
use super::transport::Call;
use crate::query::{ListQuery, Page};
use crate::{Error, Result};

/// A fetched page: its items, and whether another page may follow.
pub(crate) trait Paged: Send + 'static {
    type Item: Send + 'static;

    fn has_next(&self) -> bool;

    fn into_items(self) -> Vec<Self::Item>;
}

impl<R: Send + 'static> Paged for ListPage<R> {
    type Item = R;

    fn has_next(&self) -> bool {
        ListPage::has_next(self)
    }

    fn into_items(self) -> Vec<R> {
        self.rows
    }
}

/// A page whose items are one value (an Arrow record batch, say), and what
/// [`ListPage::has_next`] said of the rows it held.
#[cfg(feature = "arrow")]
pub(crate) struct WholePage<T> {
    pub item: Option<T>,
    pub more: bool,
}

#[cfg(feature = "arrow")]
impl<T: Send + 'static> Paged for WholePage<T> {
    type Item = T;

    fn has_next(&self) -> bool {
        self.more
    }

    fn into_items(self) -> Vec<T> {
        self.item.into_iter().collect()
    }
}

/// A page being fetched on the runtime while the one before it is read. It is
/// cancelled when dropped, so a walk given up sends nothing more.
struct Ahead<P>(JoinHandle<Result<P>>);

impl<P> Drop for Ahead<P> {
    fn drop(&mut self) {
        self.0.abort();
    }
}

impl<P> Future for Ahead<P> {
    type Output = Result<P>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<P>> {
        Pin::new(&mut self.0).poll(cx).map(|joined| match joined {
            Ok(page) => page,
            // Only a panic ends the task early (it is aborted only when
            // dropped): it goes on up as the panic it was.
            Err(e) => std::panic::resume_unwind(e.into_panic()),
        })
    }
}

/// The next page to read: not asked for yet, or already on its way.
enum Next<P> {
    Fetch(ListQuery),
    Ahead(ListQuery, Ahead<P>),
}

/// Items of `_page=1, 2, …` of `size` rows each, fetched by `fetch`, until a
/// page says it is the last ([`ListPage::has_next`]). While one page's items
/// are read, the next is fetched (one request ahead, no more, so a server sees
/// no burst): at most two pages are held at a time.
pub(crate) fn pages<P, F, Fut>(
    query: ListQuery,
    size: u32,
    fetch: F,
) -> impl Stream<Item = Result<P::Item>> + Send + 'static
where
    P: Paged,
    F: Fn(ListQuery) -> Fut + Send + 'static,
    Fut: Future<Output = Result<P>> + Send + 'static,
{
    let start = Some(Next::Fetch(with_page(query, 1, size)));
    stream::try_unfold((start, fetch), move |(next, fetch)| async move {
        let (query, page) = match next {
            None => return Ok::<_, Error>(None),
            Some(Next::Fetch(query)) => {
                let page = fetch(query.clone()).await?;
                (query, page)
            }
            Some(Next::Ahead(query, ahead)) => (query, ahead.await?),
        };
        let next = page.has_next().then(|| {
            let number = query.page.map_or(1, |p| p.number) + 1;
            let query = with_page(query, number, size);
            // Outside a Tokio runtime nothing can run ahead: the page is
            // fetched when it is reached.
            match tokio::runtime::Handle::try_current() {
                Ok(runtime) => {
                    let ahead = Ahead(runtime.spawn(fetch(query.clone())));
                    Next::Ahead(query, ahead)
                }
                Err(_) => Next::Fetch(query),
            }
        });
        Ok(Some((
            stream::iter(page.into_items().into_iter().map(Ok)),
            (next, fetch),
        )))
    })
    .try_flatten()
}

fn with_page(mut query: ListQuery, number: u32, size: u32) -> ListQuery {
    query.page = Some(Page { number, size });
    query
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
