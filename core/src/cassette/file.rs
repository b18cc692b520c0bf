//! The cassette file: JSON lines, readable, the same bytes for the same
//! calls, written whole and atomically.
//!
//! The first line says the format (`{"pigello_cassette":1}`); each other line
//! is one answered request, in the order sent:
//!
//! ```text
//! {"pigello_cassette":1}
//! {"request":{"method":"GET","path":"/accounts/users/customer/tenant/list/","query":"_page=1&_page_size=2"},"response":{"status":503,"headers":{"retry-after":"1"},"body":{"detail":"busy"}}}
//! ```
//!
//! A request holds its method, path, query and JSON body; never a header
//! (the credentials are headers). An answer holds its status, the headers a
//! caller reads (`content-type`, `retry-after`, `x-request-id`) and its body:
//! a JSON body as it came (`body`), any other as text (`text`).

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use super::anonymize::Anonymizer;
use crate::{Error, Result};

/// The format this version writes and the newest it reads.
pub const FORMAT: u64 = 1;

/// The answer headers a cassette keeps: those a caller or the retry policy reads.
pub const KEPT_HEADERS: [&str; 3] = ["content-type", "retry-after", "x-request-id"];

/// The first line: the format, and whether personal data was replaced by
/// fakes ([`super::anonymize`]).
#[derive(Serialize, Deserialize)]
struct Header {
    pigello_cassette: u64,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    anonymized: bool,
}

/// One request and its answer.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Interaction {
    pub request: Request,
    pub response: Response,
}

/// A request as a cassette keeps it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Request {
    pub method: String,
    pub path: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub query: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<Box<RawValue>>,
}

/// An answer as a cassette keeps it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Response {
    pub status: u16,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub headers: BTreeMap<String, String>,
    /// A JSON body, as it came (or, if it spanned lines, re-encoded on one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<Box<RawValue>>,
    /// Any other body, as text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

impl Interaction {
    /// Every value it holds that may be personal: the query's values, the
    /// request's body, the answer's body.
    pub fn values(&self) -> Vec<serde_json::Value> {
        let mut values: Vec<serde_json::Value> =
            form_urlencoded::parse(self.request.query.as_bytes())
                .map(|(_, value)| serde_json::Value::String(value.into_owned()))
                .collect();
        let bodies = [&self.request.body, &self.response.body];
        values.extend(
            bodies
                .into_iter()
                .flatten()
                .filter_map(|raw| serde_json::from_str(raw.get()).ok()),
        );
        values.extend(self.response.text.clone().map(serde_json::Value::String));
        values
    }
}

impl Response {
    /// An answer as it came: its status, the kept headers, and its body.
    pub fn of(status: u16, headers: BTreeMap<String, String>, bytes: &[u8]) -> Response {
        let (body, text) = match one_line_json(bytes) {
            Some(json) => (Some(json), None),
            None if bytes.is_empty() => (None, None),
            None => (None, Some(String::from_utf8_lossy(bytes).into_owned())),
        };
        Response {
            status,
            headers,
            body,
            text,
        }
    }

    /// The same answer with fakes in place of its personal data.
    pub fn anonymized(&self, anonymizer: &mut Anonymizer) -> Response {
        let body = self.body.as_ref().and_then(|raw| {
            let mut json: serde_json::Value = serde_json::from_str(raw.get()).ok()?;
            anonymizer.json(&mut json);
            serde_json::value::to_raw_value(&json).ok()
        });
        Response {
            status: self.status,
            headers: self.headers.clone(),
            body,
            text: self
                .text
                .as_ref()
                .map(|text| anonymizer.text(text).into_owned()),
        }
    }
}

/// A JSON body kept on one line: as it came when it fits one, else re-encoded.
/// `None` when it is not JSON.
pub fn one_line_json(bytes: &[u8]) -> Option<Box<RawValue>> {
    let text = std::str::from_utf8(bytes).ok()?.trim();
    if text.is_empty() {
        return None;
    }
    if !text.contains(['\n', '\r']) {
        return RawValue::from_string(text.to_owned()).ok();
    }
    let value: serde_json::Value = serde_json::from_str(text).ok()?;
    serde_json::value::to_raw_value(&value).ok()
}

/// An error about the file `shown`, at a line (1-based) or about it whole.
pub fn invalid(shown: &str, line: Option<usize>, message: impl Into<String>) -> Error {
    Error::Cassette {
        file: shown.to_owned(),
        line,
        message: message.into(),
    }
}

/// Whether a cassette's personal data are fakes, and its interactions, from
/// the file's text; an error names the line.
pub fn parse(shown: &str, text: &str) -> Result<(bool, Vec<Interaction>)> {
    let mut lines = text.split_inclusive('\n').enumerate();
    let header = match lines.next() {
        Some((_, line)) => line,
        None => {
            return Err(invalid(
                shown,
                Some(1),
                "the file is empty: it has no format line",
            ));
        }
    };
    let header: Header = serde_json::from_str(header.trim_end()).map_err(|e| {
        invalid(
            shown,
            Some(1),
            format!(
                "not a cassette: the first line must be {{\"pigello_cassette\":{FORMAT}}} ({e})"
            ),
        )
    })?;
    if header.pigello_cassette > FORMAT {
        return Err(invalid(
            shown,
            Some(1),
            format!(
                "format {} is newer than this version of pigello reads ({FORMAT}): upgrade pigello",
                header.pigello_cassette
            ),
        ));
    }
    let mut interactions = Vec::new();
    for (i, line) in lines {
        let number = i + 1;
        if line.trim().is_empty() {
            continue;
        }
        let interaction: Interaction = serde_json::from_str(line.trim_end()).map_err(|e| {
            let what = if line.ends_with('\n') {
                "not a recorded request and answer"
            } else {
                "the last line is cut off (the file is truncated)"
            };
            invalid(shown, Some(number), format!("{what}: {e}"))
        })?;
        interactions.push(interaction);
    }
    Ok((header.anonymized, interactions))
}

/// The file's text for `interactions`.
pub fn render(anonymized: bool, interactions: &[Interaction]) -> Result<String> {
    let encode = |e: serde_json::Error| Error::Encode {
        model: "cassette",
        message: e.to_string(),
    };
    let mut text = serde_json::to_string(&Header {
        pigello_cassette: FORMAT,
        anonymized,
    })
    .map_err(encode)?;
    text.push('\n');
    for interaction in interactions {
        text.push_str(&serde_json::to_string(interaction).map_err(encode)?);
        text.push('\n');
    }
    Ok(text)
}

/// Writes `text` to `path` whole: into a new file beside it, then renamed
/// over it, so a crash leaves the old file or the new one, never half of one.
pub fn write_atomically(path: &Path, shown: &str, text: &str) -> Result<()> {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let failed = |what: &str, e: std::io::Error| invalid(shown, None, format!("{what}: {e}"));
    if let Some(folder) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(folder).map_err(|e| failed("its folder could not be made", e))?;
    }
    let mut temporary = path.as_os_str().to_owned();
    temporary.push(format!(
        ".{}-{}.tmp",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    ));
    let temporary = std::path::PathBuf::from(temporary);
    let written = std::fs::File::create(&temporary).and_then(|mut file| {
        file.write_all(text.as_bytes())?;
        file.sync_all()
    });
    if let Err(e) = written.and_then(|()| std::fs::rename(&temporary, path)) {
        let _ = std::fs::remove_file(&temporary);
        return Err(failed("it could not be written", e));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const ONE: &str = "{\"pigello_cassette\":1}\n{\"request\":{\"method\":\"GET\",\"path\":\"/a/\"},\"response\":{\"status\":200,\"body\":{\"b\": 1}}}\n";

    #[test]
    fn a_file_reads_back_to_the_same_bytes() {
        let (anonymized, interactions) = parse("c.jsonl", ONE).expect("parsed");
        assert_eq!((anonymized, interactions.len()), (false, 1));
        assert_eq!(render(false, &interactions).expect("rendered"), ONE);
    }

    #[test]
    fn a_bad_file_is_refused_at_its_line() {
        let cases = [
            ("", 1, "empty"),
            ("{\"pigello_cassette\":2}\n", 1, "newer"),
            ("{\"format\":1}\n", 1, "not a cassette"),
            (
                "{\"pigello_cassette\":1}\n{\"request\":\n",
                2,
                "not a recorded",
            ),
            (&ONE[..ONE.len() - 4], 2, "truncated"),
        ];
        for (text, line, what) in cases {
            let error = parse("c.jsonl", text).expect_err(what);
            match &error {
                Error::Cassette {
                    file,
                    line: at,
                    message,
                } => {
                    assert_eq!((file.as_str(), *at), ("c.jsonl", Some(line)), "{what}");
                    assert!(message.contains(what), "{message}");
                }
                other => panic!("{other:?}"),
            }
        }
    }

    #[test]
    fn a_body_spanning_lines_is_kept_on_one() {
        let raw = one_line_json(b"{\n  \"a\": [1,\n 2]\n}").expect("JSON");
        assert_eq!(raw.get(), "{\"a\":[1,2]}");
        assert_eq!(
            one_line_json(b"{\"a\": 1}").expect("JSON").get(),
            "{\"a\": 1}"
        );
        assert!(one_line_json(b"<html>").is_none());
    }
}
