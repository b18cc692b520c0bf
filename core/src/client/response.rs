//! What the final answer of a call said besides its body: the status, the
//! headers, the request id, how long the call took and how many retries it
//! needed. A binding records it for its raw response
//! (`with_raw_response`, `.withResponse()`) and for a model's request id.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

/// The facts of one answer.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ResponseInfo {
    /// The HTTP status.
    pub status: u16,
    /// Every header as it came, names in lower case, a repeated one once per
    /// value (only when asked for with [`ResponseRecorder::want_headers`]);
    /// [`ResponseInfo::header_map`] is how the packages read them.
    pub headers: Vec<(String, String)>,
    /// The answer's `x-request-id`.
    pub request_id: Option<String>,
    /// From the first attempt's start to the answer's headers.
    pub elapsed: Duration,
    /// Attempts after the first.
    pub retries_taken: u32,
}

impl ResponseInfo {
    /// The headers by lower-case name, the one reading every package gives: a
    /// header sent more than once has its values joined with `", "` in the
    /// order they came (RFC 9110, section 5.3), as a proxy may have split or
    /// repeated it.
    ///
    /// ```
    /// let info = pigello::client::ResponseInfo {
    ///     headers: vec![("via".into(), "1.1 a".into()), ("via".into(), "1.1 b".into())],
    ///     ..Default::default()
    /// };
    /// assert_eq!(info.header_map()["via"], "1.1 a, 1.1 b");
    /// ```
    pub fn header_map(&self) -> BTreeMap<String, String> {
        let mut map = BTreeMap::<String, String>::new();
        for (name, value) in &self.headers {
            map.entry(name.to_ascii_lowercase())
                .and_modify(|joined| {
                    joined.push_str(", ");
                    joined.push_str(value);
                })
                .or_insert_with(|| value.clone());
        }
        map
    }
}

/// Where a client derived with [`super::RequestOptions::record`] puts the
/// facts of its calls' answers; the last one is kept.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let sandbox = pigello_sandbox::Sandbox::start(Default::default()).await?;
/// # let client = pigello::Client::builder().base_url(sandbox.url()).credentials(sandbox.credentials()).build()?;
/// use pigello::client::{RequestOptions, ResponseRecorder};
///
/// let recorder = ResponseRecorder::new();
/// recorder.want_headers();
/// let recorded = client.with_options(&RequestOptions::default().record(recorder.clone()));
/// let query = recorded.tenants().query().build()?;
/// recorded.tenants().list(&query).await?;
/// let answer = recorder.last().expect("answered");
/// assert_eq!((answer.status, answer.retries_taken), (200, 0));
/// assert!(answer.headers.iter().any(|(name, _)| name == "content-type"));
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, Default)]
pub struct ResponseRecorder {
    last: Arc<Mutex<Option<ResponseInfo>>>,
    headers: Arc<AtomicBool>,
}

impl ResponseRecorder {
    /// A recorder that keeps the status, request id, time and retries.
    pub fn new() -> Self {
        Self::default()
    }

    /// Keeps the headers too (a copy per answer, so only when wanted).
    pub fn want_headers(&self) {
        self.headers.store(true, Ordering::Relaxed);
    }

    /// The facts of the last answer recorded.
    pub fn last(&self) -> Option<ResponseInfo> {
        self.last
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    pub(crate) fn record(&self, response: &reqwest::Response, elapsed: Duration, attempts: u32) {
        let headers = if self.headers.load(Ordering::Relaxed) {
            response
                .headers()
                .iter()
                .map(|(name, value)| {
                    let value = String::from_utf8_lossy(value.as_bytes()).into_owned();
                    (name.as_str().to_owned(), value)
                })
                .collect()
        } else {
            Vec::new()
        };
        let info = ResponseInfo {
            status: response.status().as_u16(),
            headers,
            request_id: super::transport::header(response, "x-request-id"),
            elapsed,
            retries_taken: attempts.saturating_sub(1),
        };
        *self.last.lock().unwrap_or_else(PoisonError::into_inner) = Some(info);
    }
}
