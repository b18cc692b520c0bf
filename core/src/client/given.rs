//! The options one method was given, read against the core's option table
//! ([`crate::description::OPTIONS`]): each binding hands over what it was
//! given by name, its values as JSON, and receives the core's types back. So
//! no binding spells an option's name, converts its unit or decides where it
//! goes: Python's keywords and Node's option objects are read here, once.

use serde_json::{Map, Value};

use super::options::{CallOptions, RequestOptions, timeout_from_seconds};
use super::query::ListArgs;
use crate::cassette::{Cassette, RecordMode};
use crate::description::{OptionSpec, Taker, options_of};
use crate::validate::closest;
use crate::{Credentials, Error, Spelling};

/// Why options were not read.
#[derive(Debug)]
pub enum OptionError {
    /// A name the method does not take, or a value of the wrong type: each
    /// language's `TypeError`. The message names the option (and the one
    /// meant, for a near miss).
    Type(String),
    /// A value of the right type that the core refuses (a timeout of a
    /// century, a credential header, a missing credential).
    Refused(Error),
}

impl std::fmt::Display for OptionError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            OptionError::Type(message) => f.write_str(message),
            OptionError::Refused(error) => error.fmt(f),
        }
    }
}

impl From<Error> for OptionError {
    fn from(error: Error) -> Self {
        OptionError::Refused(error)
    }
}

/// The outcome of reading options.
pub type Result<T> = std::result::Result<T, OptionError>;

/// What a method was given, as the core's types. What the method does not
/// take stays at its default.
#[derive(Debug, Clone, Default)]
pub struct GivenOptions {
    /// How the call is sent (`timeout`, `max_retries`, the headers).
    pub request: RequestOptions,
    /// What it sends beyond its documented arguments (`extra_query`, `extra_body`).
    pub call: CallOptions,
    /// A list's arguments (`page`, `page_size`, `order_by`, `search`, `slim`,
    /// `statistics`, and Node's `filters`).
    pub list: ListArgs,
    /// Rows per batch of a batch iteration.
    pub batch_size: Option<u32>,
    /// Whether an export shows its progress (`None`: where someone watches).
    pub progress: Option<bool>,
    /// Where the API is, for a client.
    pub base_url: Option<String>,
    /// A client's cassette file (opened by [`GivenOptions::read`] into
    /// `request.cassette`).
    pub cassette: Option<String>,
    /// That cassette's record mode.
    pub record_mode: Option<RecordMode>,
    /// Whether that cassette records fakes in place of personal data.
    pub anonymize: Option<bool>,
    /// A sandbox's seed.
    pub seed: Option<u64>,
    /// A sandbox's number of tenants.
    pub tenants: Option<u32>,
    /// The only client secret a sandbox accepts.
    pub require_secret: Option<String>,
    /// A sandbox's fixed port.
    pub port: Option<u16>,
}

/// What a name given to a method is, by the option table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GivenName {
    /// One of the method's options.
    Option(&'static OptionSpec),
    /// Not an option: a field (Python's `create`), a filter (Python's `list`)
    /// or a credential (a client's constructor), which the method reads itself.
    Argument,
}

impl GivenOptions {
    /// What `name` is to `taker` in the language `spelling` writes (snake_case:
    /// Python and Rust; camelCase: Node). A name that is neither an option nor
    /// an argument the method takes is an error naming it and, when it is
    /// near one, the option meant.
    pub fn classify(taker: Taker, spelling: Spelling, name: &str) -> Result<GivenName> {
        if let Some(option) = find(taker, spelling, name) {
            return Ok(GivenName::Option(option));
        }
        if takes_arguments(taker, spelling) {
            return Ok(GivenName::Argument);
        }
        let names: Vec<String> = names_of(taker, spelling).collect();
        Err(unexpected(taker, spelling, name, &names))
    }

    /// The options `given` to `taker`, each value as JSON in the language
    /// `spelling` writes (a Node `timeout` is in milliseconds, Python's in
    /// seconds). A name the method does not take, or a value of the wrong
    /// type, is a configuration error naming the option.
    pub fn read(
        taker: Taker,
        spelling: Spelling,
        given: impl IntoIterator<Item = (String, Value)>,
    ) -> Result<GivenOptions> {
        let mut options = GivenOptions {
            call: CallOptions {
                spelling,
                ..CallOptions::default()
            },
            ..GivenOptions::default()
        };
        for (name, value) in given {
            if value.is_null() {
                continue;
            }
            let option = match Self::classify(taker, spelling, &name)? {
                GivenName::Option(option) => option,
                GivenName::Argument => {
                    return Err(OptionError::Type(format!(
                        "{}() has no option {name:?}",
                        method_name(taker, spelling)
                    )));
                }
            };
            options.set(option, &name, value, spelling)?;
        }
        options.open_cassette(spelling)?;
        Ok(options)
    }

    /// A client's constructor arguments: its options, and its credentials
    /// each named as `spelling` writes it (a missing one is an error naming
    /// it). A name that is neither is refused, with the one meant.
    pub fn client(
        spelling: Spelling,
        given: impl IntoIterator<Item = (String, Value)>,
    ) -> Result<(Credentials, GivenOptions)> {
        let (mut credentials, mut options) = (Map::new(), Vec::new());
        for (name, value) in given {
            match find(Taker::Client, spelling, &name) {
                Some(_) => options.push((name, value)),
                None => {
                    credentials.insert(name, value);
                }
            }
        }
        let read = credentials_from(&mut credentials, spelling)?;
        if let Some(name) = credentials.keys().next() {
            let names: Vec<String> = names_of(Taker::Client, spelling)
                .chain(Credentials::NAMES.iter().map(|n| spelling.name(n)))
                .collect();
            return Err(unexpected(Taker::Client, spelling, name, &names));
        }
        Ok((read, Self::read(Taker::Client, spelling, options)?))
    }

    /// Opens the cassette the options name, in their record mode; a record
    /// mode without a cassette is refused rather than ignored.
    fn open_cassette(&mut self, spelling: Spelling) -> Result<()> {
        let Some(path) = &self.cassette else {
            let orphan = [
                ("anonymize", self.anonymize.is_some()),
                ("record_mode", self.record_mode.is_some()),
            ]
            .into_iter()
            .find_map(|(name, given)| given.then_some(name));
            return match orphan {
                Some(name) => Err(OptionError::Type(format!(
                    "{} is given without {}: name the cassette file it applies to",
                    spelling.option(name),
                    spelling.option("cassette")
                ))),
                None => Ok(()),
            };
        };
        let mode = self.record_mode.unwrap_or_default();
        let cassette = Cassette::open(path, mode, self.anonymize.unwrap_or(false))
            .map_err(OptionError::Refused)?;
        self.request.cassette = Some(cassette);
        Ok(())
    }

    /// Sets one option from its value; `name` is how the caller spelt it.
    fn set(
        &mut self,
        option: &OptionSpec,
        name: &str,
        value: Value,
        spelling: Spelling,
    ) -> Result<()> {
        let read = Read { name, spelling };
        match option.name {
            "timeout" => {
                self.request.timeout = Some(timeout_from_seconds(read.seconds(&value)?, name)?)
            }
            "max_retries" => self.request.max_retries = Some(read.count(&value)?),
            "extra_headers" | "default_headers" => {
                for (header, text) in read.object(value)? {
                    let text = text.as_str().ok_or_else(|| {
                        OptionError::Type(format!("{name}[{header:?}] must be a string"))
                    })?;
                    let request = std::mem::take(&mut self.request);
                    self.request = request.header(&header, text, name)?;
                }
            }
            "extra_query" => self.call.extra_query = read.object(value)?.into_iter().collect(),
            "extra_body" => self.call.extra_body = read.object(value)?,
            "page" => self.list.page = Some(read.count(&value)?),
            "page_size" => self.list.page_size = Some(read.count(&value)?),
            "batch_size" => self.batch_size = Some(read.count(&value)?),
            "order_by" => self.list.order_by = read.keys(value)?,
            "search" => self.list.search = Some(read.text(value)?),
            "slim" => self.list.slim = read.flag(&value)?,
            "statistics" => self.list.statistics = read.flag(&value)?,
            "filters" => self.list.filters = read.object(value)?.into_iter().collect(),
            "progress" => self.progress = Some(read.flag(&value)?),
            "base_url" => self.base_url = Some(read.text(value)?),
            "cassette" => self.cassette = Some(read.text(value)?),
            "anonymize" => self.anonymize = Some(read.flag(&value)?),
            "record_mode" => {
                let mode = read.text(value)?;
                self.record_mode =
                    Some(RecordMode::parse(&mode, name).map_err(OptionError::Refused)?);
            }
            "telemetry" => self.request.telemetry_wanted = Some(read.flag(&value)?),
            "seed" => self.seed = Some(read.whole(&value, u64::MAX)?),
            "tenants" => self.tenants = Some(read.count(&value)?),
            "require_secret" => self.require_secret = Some(read.text(value)?),
            "port" => self.port = Some(read.whole(&value, u16::MAX.into())? as u16),
            // The signal, the log level and the logger are objects of the
            // binding's language, which it keeps.
            _ => {
                return Err(OptionError::Type(format!(
                    "{name} is not read by the core: the package handles it"
                )));
            }
        }
        Ok(())
    }
}

/// The error for a name `taker` does not take, with the one of `names` meant.
fn unexpected(taker: Taker, spelling: Spelling, name: &str, names: &[String]) -> OptionError {
    let hint = closest(name, names.iter().map(String::as_str))
        .map(|near| format!("; did you mean {near}?"))
        .unwrap_or_default();
    OptionError::Type(format!(
        "{}() got an unexpected keyword argument {name:?}{hint}",
        method_name(taker, spelling)
    ))
}

/// The client's credentials from the arguments of its constructor, each
/// named as `spelling` writes it, taken out of `arguments`; a missing one is
/// an error naming it.
fn credentials_from(arguments: &mut Map<String, Value>, spelling: Spelling) -> Result<Credentials> {
    let credentials = Credentials::from_values(
        |name| match arguments.remove(&spelling.name(name)) {
            Some(Value::String(text)) => Some(text),
            _ => None,
        },
        spelling,
    )?;
    Ok(credentials)
}

/// The option `taker` takes under `name` in the language `spelling` writes.
fn find(taker: Taker, spelling: Spelling, name: &str) -> Option<&'static OptionSpec> {
    let python = spelling != Spelling::Camel;
    options_of(taker, python).find(|o| {
        if python {
            o.name == name
        } else {
            o.node() == name
        }
    })
}

/// The names `taker` takes, as `spelling` writes them.
fn names_of(taker: Taker, spelling: Spelling) -> impl Iterator<Item = String> {
    let python = spelling != Spelling::Camel;
    options_of(taker, python).map(move |o| if python { o.name.to_owned() } else { o.node() })
}

/// Whether `taker` takes named arguments besides its options: in Python, a
/// walk's filters, a write's fields and a client's credentials.
fn takes_arguments(taker: Taker, spelling: Spelling) -> bool {
    spelling != Spelling::Camel
        && (Taker::WALKS.contains(&taker)
            || Taker::WRITES.contains(&taker)
            || taker == Taker::Client)
}

/// The method's name in the language `spelling` writes, for a message.
fn method_name(taker: Taker, spelling: Spelling) -> String {
    spelling.option(taker.python())
}

/// Reads one option's value, naming the option as the caller spelt it.
struct Read<'a> {
    name: &'a str,
    spelling: Spelling,
}

impl Read<'_> {
    fn wrong(&self, expected: &str) -> OptionError {
        OptionError::Type(format!("{} must be {expected}", self.name))
    }

    /// A duration in seconds (Node gives milliseconds).
    fn seconds(&self, value: &Value) -> Result<f64> {
        let (unit, per_second) = match self.spelling {
            Spelling::Camel => ("milliseconds", 1000.0),
            Spelling::Snake | Spelling::Env => ("seconds", 1.0),
        };
        let number = value
            .as_f64()
            .ok_or_else(|| self.wrong(&format!("a positive number of {unit}")))?;
        Ok(number / per_second)
    }

    fn whole(&self, value: &Value, max: u64) -> Result<u64> {
        value
            .as_u64()
            .filter(|n| *n <= max)
            .ok_or_else(|| self.wrong(&format!("a whole number from 0 to {max}")))
    }

    fn count(&self, value: &Value) -> Result<u32> {
        Ok(self.whole(value, u32::MAX.into())? as u32)
    }

    fn flag(&self, value: &Value) -> Result<bool> {
        value.as_bool().ok_or_else(|| self.wrong("a boolean"))
    }

    fn text(&self, value: Value) -> Result<String> {
        match value {
            Value::String(text) => Ok(text),
            _ => Err(self.wrong("a string")),
        }
    }

    /// One sort key or several.
    fn keys(&self, value: Value) -> Result<Vec<String>> {
        match value {
            Value::String(key) => Ok(vec![key]),
            Value::Array(keys) => keys
                .into_iter()
                .map(|key| {
                    self.text(key)
                        .map_err(|_| self.wrong("a string or a list of strings"))
                })
                .collect(),
            _ => Err(self.wrong("a string or a list of strings")),
        }
    }

    fn object(&self, value: Value) -> Result<Map<String, Value>> {
        match value {
            Value::Object(map) => Ok(map),
            _ => Err(self.wrong("an object")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::description::{OPTIONS, OptionType};
    use serde_json::json;

    /// A value of the option's type, as Python writes it.
    fn sample(value: OptionType) -> Option<Value> {
        Some(match value {
            OptionType::Timeout => json!(1.5),
            OptionType::Count | OptionType::Port => json!(7),
            OptionType::Flag => json!(true),
            OptionType::Text => json!("x"),
            OptionType::OrderBy => json!(["a", "-b"]),
            OptionType::Headers => json!({"X-Trace": "1"}),
            OptionType::QueryParameters | OptionType::BodyFields | OptionType::Filters => {
                json!({"k": 1})
            }
            OptionType::Path => json!(std::env::temp_dir().join("pigello-option-sample.jsonl")),
            OptionType::RecordMode => json!("all"),
            OptionType::Signal | OptionType::LogLevel | OptionType::Logger => return None,
        })
    }

    #[test]
    fn every_option_the_core_can_read_is_read() {
        for option in OPTIONS {
            let Some(value) = sample(option.value) else {
                continue;
            };
            let taker = option.takers[0];
            let spelling = if option.in_python() {
                Spelling::Snake
            } else {
                Spelling::Camel
            };
            let name = if option.in_python() {
                option.name.to_owned()
            } else {
                option.node()
            };
            let mut given = vec![(name, value)];
            // A record mode and anonymize apply to a cassette, and are refused without one.
            if option.value == OptionType::RecordMode || option.name == "anonymize" {
                let cassette = std::env::temp_dir().join("pigello-option-sample.jsonl");
                given.push(("cassette".into(), json!(cassette)));
            }
            let read = GivenOptions::read(taker, spelling, given);
            assert!(read.is_ok(), "{}: {read:?}", option.name);
        }
    }

    #[test]
    fn node_timeouts_are_milliseconds_and_python_seconds() {
        let node = GivenOptions::read(
            Taker::Get,
            Spelling::Camel,
            [("timeout".into(), json!(1500))],
        )
        .expect("read");
        let python = GivenOptions::read(
            Taker::Get,
            Spelling::Snake,
            [("timeout".into(), json!(1.5))],
        )
        .expect("read");
        assert_eq!(node.request.timeout, python.request.timeout);
        assert_eq!(
            python.request.timeout,
            Some(std::time::Duration::from_millis(1500))
        );
    }

    #[test]
    fn an_unknown_name_is_refused_with_the_option_meant() {
        let error =
            GivenOptions::classify(Taker::Get, Spelling::Snake, "timout").expect_err("refused");
        assert!(
            error.to_string().contains(
                "get() got an unexpected keyword argument \"timout\"; did you mean timeout?"
            ),
            "{error}"
        );
        let error = GivenOptions::classify(Taker::BulkWrite, Spelling::Camel, "maxRetires")
            .expect_err("refused");
        assert!(error.to_string().contains("bulkWrite()"), "{error}");
        assert!(
            error.to_string().contains("did you mean maxRetries?"),
            "{error}"
        );
    }

    #[test]
    fn a_walk_takes_filters_and_a_write_fields_in_python_only() {
        assert_eq!(
            GivenOptions::classify(Taker::List, Spelling::Snake, "first_name").expect("read"),
            GivenName::Argument
        );
        assert_eq!(
            GivenOptions::classify(Taker::Create, Spelling::Snake, "first_name").expect("read"),
            GivenName::Argument
        );
        assert!(GivenOptions::classify(Taker::List, Spelling::Camel, "first_name").is_err());
    }

    #[test]
    fn a_wrong_value_names_the_option() {
        let error = GivenOptions::read(
            Taker::List,
            Spelling::Camel,
            [("pageSize".into(), json!(-1))],
        )
        .expect_err("refused");
        assert!(
            error
                .to_string()
                .contains("pageSize must be a whole number"),
            "{error}"
        );
        let error = GivenOptions::read(
            Taker::Get,
            Spelling::Snake,
            [("extra_headers".into(), json!({"X-A": 1}))],
        )
        .expect_err("refused");
        assert!(
            error
                .to_string()
                .contains("extra_headers[\"X-A\"] must be a string"),
            "{error}"
        );
    }

    fn client_arguments(extra: (&str, Value)) -> Vec<(String, Value)> {
        let mut arguments: Vec<(String, Value)> = Credentials::NAMES
            .iter()
            .map(|n| (Spelling::Camel.name(n), json!("v")))
            .collect();
        arguments.push((extra.0.to_owned(), extra.1));
        arguments
    }

    #[test]
    fn a_client_reads_its_credentials_and_options_by_their_names() {
        let arguments = client_arguments(("baseUrl", json!("http://x")));
        let (_, options) = GivenOptions::client(Spelling::Camel, arguments).expect("read");
        assert_eq!(options.base_url.as_deref(), Some("http://x"));
        let arguments = client_arguments(("baseUrll", json!("http://x")));
        let error = GivenOptions::client(Spelling::Camel, arguments).expect_err("refused");
        assert!(
            error.to_string().contains("did you mean baseUrl?"),
            "{error}"
        );
        let mut arguments = client_arguments(("timeout", json!(5)));
        arguments.remove(0);
        let error = GivenOptions::client(Spelling::Camel, arguments).expect_err("refused");
        assert!(error.to_string().contains("customerId"), "{error}");
    }
}
