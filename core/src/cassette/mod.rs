//! Record and replay: a client given a cassette keeps the requests it sends
//! and the answers it gets in a file ([`file`]), and answers later calls from
//! it without a network. One format for Rust, Python and Node, since all
//! three send through this module.
//!
//! Each attempt is one interaction, so retries and faults replay as they
//! happened (a 503 then a 200). A request matches a recorded one by method,
//! path, query (in any order) and, for a write, its JSON body; identical
//! requests replay in the order recorded.

mod anonymize;
mod file;
mod matching;
mod mode;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError, Weak};

pub use anonymize::KEY_VARIABLE;
pub use mode::RecordMode;

use anonymize::Anonymizer;

use file::{Interaction, KEPT_HEADERS};
use matching::Key;

use crate::{Error, Result};

/// A cassette file open for one or more clients of this process.
pub struct Cassette {
    path: PathBuf,
    /// The path as given, for messages.
    shown: String,
    mode: RecordMode,
    /// Whether the file was there when the cassette was opened: `once`
    /// replays if it was, and records if it was not.
    existed: bool,
    state: Mutex<State>,
}

struct State {
    /// Replaces personal data by fakes, when the cassette is anonymized.
    anonymizer: Option<Anonymizer>,
    /// The interactions read from the file, each replayed at most once.
    loaded: Vec<(Interaction, Key, bool)>,
    /// The interactions recorded since it was opened.
    recorded: Vec<Interaction>,
}

impl std::fmt::Debug for Cassette {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Cassette")
            .field("path", &self.shown)
            .field("record_mode", &self.mode.name())
            .field("anonymized", &self.anonymized())
            .finish()
    }
}

/// The cassettes of this process that record, by path: two clients
/// recording into one file share one, so their lines never interleave.
fn recording() -> &'static Mutex<HashMap<PathBuf, Weak<Cassette>>> {
    static RECORDING: std::sync::OnceLock<Mutex<HashMap<PathBuf, Weak<Cassette>>>> =
        std::sync::OnceLock::new();
    RECORDING.get_or_init(Default::default)
}

impl Cassette {
    /// Opens the cassette at `path` in `mode`: reads the file when the mode
    /// replays from it. A missing file in `none` mode, or a file that is not a
    /// cassette, is an error naming the file (and the line). Clients of this
    /// process recording into one file share one cassette, so they must use
    /// one mode; a client that only replays (`none`, or `once` once the file
    /// exists) reads the file as it is, as a new process would.
    ///
    /// `anonymize` records fakes in place of personal data into a new file;
    /// a file that exists replays (and, in `new_episodes`, records) as its
    /// first line says it was recorded, whatever the client asks.
    pub fn open(
        path: impl AsRef<Path>,
        mode: RecordMode,
        anonymize: bool,
    ) -> Result<Arc<Cassette>> {
        let shown = path.as_ref().display().to_string();
        let key = std::path::absolute(path.as_ref())
            .map_err(|e| file::invalid(&shown, None, format!("no such path: {e}")))?;
        let mut recording = recording().lock().unwrap_or_else(PoisonError::into_inner);
        recording.retain(|_, cassette| cassette.strong_count() > 0);
        let cassette = Arc::new(Self::read(key.clone(), shown, mode, anonymize)?);
        if cassette.records() {
            if let Some(writer) = recording.get(&key).and_then(Weak::upgrade) {
                if writer.mode == mode && writer.anonymized() == cassette.anonymized() {
                    return Ok(writer);
                }
                return Err(file::invalid(
                    &cassette.shown,
                    None,
                    format!(
                        "another client of this process records into it with record_mode {:?} \
                         and anonymize {}: give both the same",
                        writer.mode.name(),
                        writer.anonymized()
                    ),
                ));
            }
            recording.insert(key, Arc::downgrade(&cassette));
        }
        Ok(cassette)
    }

    fn read(path: PathBuf, shown: String, mode: RecordMode, anonymize: bool) -> Result<Cassette> {
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => Some(text),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => {
                return Err(file::invalid(
                    &shown,
                    None,
                    format!("it cannot be read: {e}"),
                ));
            }
        };
        if text.is_none() && mode == RecordMode::None {
            return Err(file::invalid(
                &shown,
                None,
                "the file does not exist, and record_mode \"none\" only replays: record it \
                 first with record_mode \"once\" (PIGELLO_RECORD_MODE=once)",
            ));
        }
        let (anonymized, interactions) = match (&text, mode) {
            (Some(text), RecordMode::Once | RecordMode::NewEpisodes | RecordMode::None) => {
                let (anonymized, interactions) = file::parse(&shown, text)?;
                if anonymize && !anonymized && mode == RecordMode::NewEpisodes {
                    return Err(file::invalid(
                        &shown,
                        None,
                        "it was recorded without anonymize, so what new_episodes adds would not \
                         be anonymized either: record it anew with record_mode \"all\"",
                    ));
                }
                (anonymized, interactions)
            }
            _ => (anonymize, Vec::new()),
        };
        let mut anonymizer = anonymized
            .then(|| Anonymizer::new(std::env::var(anonymize::KEY_VARIABLE).ok().as_deref()));
        if let Some(anonymizer) = &mut anonymizer {
            for value in interactions.iter().flat_map(Interaction::values) {
                anonymizer.learn(&value);
            }
        }
        let loaded = interactions
            .into_iter()
            .map(|interaction| {
                let key = Key::of_recorded(&interaction.request);
                (interaction, key, false)
            })
            .collect();
        Ok(Cassette {
            path,
            shown,
            mode,
            existed: text.is_some(),
            state: Mutex::new(State {
                anonymizer,
                loaded,
                recorded: Vec::new(),
            }),
        })
    }

    /// The record mode.
    pub fn mode(&self) -> RecordMode {
        self.mode
    }

    /// The path, as given.
    pub fn path(&self) -> &str {
        &self.shown
    }

    /// Whether its personal data are fakes.
    pub fn anonymized(&self) -> bool {
        self.lock().anonymizer.is_some()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Whether calls are answered from the file.
    fn replays(&self) -> bool {
        self.existed && self.mode != RecordMode::All
    }

    /// Whether calls the file does not answer are sent and recorded.
    pub(crate) fn records(&self) -> bool {
        match self.mode {
            RecordMode::All | RecordMode::NewEpisodes => true,
            RecordMode::Once => !self.existed,
            RecordMode::None => false,
        }
    }

    /// The recorded answer to a request, the first not yet replayed; `None`
    /// when it is to be sent (and recorded); an error, before anything is
    /// sent, when the cassette neither answers nor records it.
    pub(crate) fn replay(
        &self,
        method: &'static str,
        path: &str,
        query: &str,
        body: Option<&[u8]>,
    ) -> Result<Option<reqwest::Response>> {
        if !self.replays() {
            return Ok(None);
        }
        let mut state = self.lock();
        let (query, body) = state.anonymized_request(query, body);
        let key = Key::of_call(method, path, &query, body.as_deref());
        let found = state
            .loaded
            .iter_mut()
            .find(|(_, recorded, used)| !*used && *recorded == key);
        if let Some((interaction, _, used)) = found {
            *used = true;
            return answer_of(&self.shown, &interaction.response).map(Some);
        }
        if self.records() {
            return Ok(None);
        }
        let closest = matching::closest(&key, state.loaded.iter().map(|(_, k, _)| k));
        Err(Error::CassetteMiss {
            method,
            path: path.to_owned(),
            file: self.shown.clone(),
            closest,
        })
    }

    /// Keeps a request and its answer (personal data replaced, if the
    /// cassette is anonymized), writes the file, and gives the answer back as
    /// it came (read whole: a streamed answer is not streamed while recording).
    pub(crate) async fn record(
        &self,
        method: &'static str,
        (path, query, body): (&str, &str, Option<&[u8]>),
        answer: reqwest::Response,
    ) -> std::result::Result<Result<reqwest::Response>, reqwest::Error> {
        let status = answer.status().as_u16();
        let headers = KEPT_HEADERS
            .iter()
            .filter_map(|name| {
                let value = answer.headers().get(*name)?.to_str().ok()?;
                Some(((*name).to_owned(), value.to_owned()))
            })
            .collect();
        let bytes = answer.bytes().await?;
        let came = file::Response::of(status, headers, &bytes);
        let mut state = self.lock();
        let (query, body) = state.anonymized_request(query, body);
        let kept = match &mut state.anonymizer {
            Some(anonymizer) => came.anonymized(anonymizer),
            None => came.clone(),
        };
        state.recorded.push(Interaction {
            request: file::Request {
                method: method.to_owned(),
                path: path.to_owned(),
                query,
                body: body.as_deref().and_then(file::one_line_json),
            },
            response: kept,
        });
        Ok(self
            .write(&state)
            .and_then(|()| answer_of(&self.shown, &came)))
    }

    /// Writes the file: for `new_episodes`, what it held and what was added.
    fn write(&self, state: &State) -> Result<()> {
        let kept: Vec<Interaction> = state
            .loaded
            .iter()
            .map(|(interaction, _, _)| interaction.clone())
            .chain(state.recorded.iter().cloned())
            .collect();
        let text = file::render(state.anonymizer.is_some(), &kept)?;
        file::write_atomically(&self.path, &self.shown, &text)
    }
}

impl State {
    /// A request's query and body as the cassette keeps them: with fakes in
    /// place of personal data, if it is anonymized.
    fn anonymized_request(
        &mut self,
        query: &str,
        body: Option<&[u8]>,
    ) -> (String, Option<Vec<u8>>) {
        let Some(anonymizer) = &mut self.anonymizer else {
            return (query.to_owned(), body.map(<[u8]>::to_vec));
        };
        let body = body.map(
            |bytes| match serde_json::from_slice::<serde_json::Value>(bytes) {
                Ok(mut json) => {
                    anonymizer.json(&mut json);
                    serde_json::to_vec(&json).unwrap_or_default()
                }
                Err(_) => anonymizer
                    .text(&String::from_utf8_lossy(bytes))
                    .into_owned()
                    .into_bytes(),
            },
        );
        (anonymizer.query(query), body)
    }
}

/// The variable naming the cassette `from_env()` records into or replays
/// from, so an application under test is covered without a change to its code.
pub const CASSETTE_VARIABLE: &str = "PIGELLO_CASSETTE";
/// The variable giving that cassette's record mode (`once` when unset).
pub const RECORD_MODE_VARIABLE: &str = "PIGELLO_RECORD_MODE";
/// The variable turning on anonymized recording (`1`, `true`, `on`, `yes`).
pub const ANONYMIZE_VARIABLE: &str = "PIGELLO_ANONYMIZE";

/// A variable that switches something on or off: `1`, `true`, `on` or `yes`,
/// else `0`, `false`, `off` or `no` (any case); anything else is refused.
pub fn switch(value: &str, variable: &str) -> Result<bool> {
    match value.trim().to_ascii_lowercase().as_str() {
        "1" | "true" | "on" | "yes" => Ok(true),
        "0" | "false" | "off" | "no" => Ok(false),
        _ => Err(Error::Config(format!(
            "{variable} must be 1, true, on or yes, or 0, false, off or no"
        ))),
    }
}

/// A recorded answer as the transport's response.
fn answer_of(shown: &str, recorded: &file::Response) -> Result<reqwest::Response> {
    let mut answer = http::Response::builder().status(recorded.status);
    for (name, value) in &recorded.headers {
        answer = answer.header(name, value);
    }
    let body = match (&recorded.body, &recorded.text) {
        (Some(json), _) => json.get().as_bytes().to_vec(),
        (None, Some(text)) => text.clone().into_bytes(),
        (None, None) => Vec::new(),
    };
    answer.body(body).map(reqwest::Response::from).map_err(|e| {
        file::invalid(
            shown,
            None,
            format!("a recorded answer cannot be replayed: {e}"),
        )
    })
}
