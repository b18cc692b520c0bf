//! Every option a call, a client or a sandbox takes, described once: its name,
//! its type (and unit), its default, the methods that take it and the
//! languages that have it. The generator reads this table as it reads the
//! resources, and writes each language's spelling from it: Python's stubs,
//! the TypeScript option interfaces and Node's option-checking table. Adding
//! an option is a row here and a generator run; a test fails when a binding
//! takes an option the table does not list, or misses one it does.

/// What an option's value is, whatever the language calls it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OptionType {
    /// A duration: seconds in Python and Rust, milliseconds in Node.
    Timeout,
    /// A whole number from 0 to 4 294 967 295.
    Count,
    /// A port number from 0 to 65 535.
    Port,
    /// A boolean.
    Flag,
    /// Text.
    Text,
    /// One sort key or several (`"last_name"`, `"-birth_date"`, `"a,-b"`).
    OrderBy,
    /// Header names to text values.
    Headers,
    /// Query parameter names to values (text, numbers, booleans, or lists of them).
    QueryParameters,
    /// Body field names to JSON values.
    BodyFields,
    /// Filters as the API spells them, to values (Node; Python takes them as keywords).
    Filters,
    /// An `AbortSignal` (Node; Python's calls stop on Ctrl-C or a task's cancel).
    Signal,
    /// `'off'`, `'error'`, `'warn'`, `'info'` or `'debug'`.
    LogLevel,
    /// An object with `error`, `warn`, `info` and `debug` methods.
    Logger,
    /// A file's path (Python also takes an `os.PathLike`, such as a `pathlib.Path`).
    Path,
    /// A cassette's record mode: `'once'`, `'new_episodes'`, `'none'` or `'all'`.
    RecordMode,
}

/// A method or constructor that takes options.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Taker {
    Get,
    List,
    Iterate,
    /// `to_pandas` (Python).
    ToPandas,
    /// `to_arrow` and `to_polars` (Python).
    ToArrow,
    /// `iter_batches` (Python).
    IterBatches,
    /// `partitions` (Python).
    Partitions,
    Create,
    Update,
    Delete,
    BulkWrite,
    Invite,
    /// A client's constructor.
    Client,
    /// What a client derives or is made with: `with_options`, `from_env`,
    /// `sandbox.client()`.
    ClientSettings,
    /// Starting a sandbox.
    Sandbox,
    /// A partition's `to_pandas` and `to_arrow` (Python).
    PartRows,
    /// A partition's `iter_batches` (Python).
    PartBatches,
}

impl Taker {
    /// The methods of a resource that walk a list's pages (and take its
    /// filters as keywords in Python).
    pub const WALKS: &'static [Taker] = &[
        Taker::List,
        Taker::Iterate,
        Taker::ToPandas,
        Taker::ToArrow,
        Taker::IterBatches,
        Taker::Partitions,
    ];

    /// The methods that take a body's fields as keywords in Python.
    pub const WRITES: &'static [Taker] = &[Taker::Create, Taker::Update, Taker::Invite];

    /// Every method of a resource, in the order the packages list them.
    pub const CALLS: &'static [Taker] = &[
        Taker::Get,
        Taker::List,
        Taker::Iterate,
        Taker::ToPandas,
        Taker::ToArrow,
        Taker::IterBatches,
        Taker::Partitions,
        Taker::Create,
        Taker::Update,
        Taker::Delete,
        Taker::BulkWrite,
        Taker::Invite,
    ];

    /// The method's name in Python (`snake_case`).
    pub fn python(self) -> &'static str {
        match self {
            Taker::Get => "get",
            Taker::List => "list",
            Taker::Iterate => "iterate",
            Taker::ToPandas => "to_pandas",
            Taker::ToArrow => "to_arrow",
            Taker::IterBatches => "iter_batches",
            Taker::Partitions => "partitions",
            Taker::Create => "create",
            Taker::Update => "update",
            Taker::Delete => "delete",
            Taker::BulkWrite => "bulk_write",
            Taker::Invite => "invite",
            Taker::Client => "Client",
            Taker::ClientSettings => "with_options",
            Taker::Sandbox => "Sandbox",
            Taker::PartRows => "Partition.to_pandas/to_arrow",
            Taker::PartBatches => "Partition.iter_batches",
        }
    }

    /// The method of a resource that a caller of `spelling` calls `method`
    /// (`bulk_write` in Python, `bulkWrite` in JavaScript).
    pub fn call_named(method: &str, spelling: crate::Spelling) -> Option<Taker> {
        Taker::CALLS
            .iter()
            .copied()
            .find(|taker| spelling.option(taker.python()) == method)
    }

    /// Whether Node has the method (the exports and partitions are Python's).
    pub fn in_node(self) -> bool {
        !matches!(
            self,
            Taker::ToPandas
                | Taker::ToArrow
                | Taker::IterBatches
                | Taker::Partitions
                | Taker::PartRows
                | Taker::PartBatches
        )
    }
}

/// Which packages have an option.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Languages {
    /// Python, Node and Rust.
    All,
    /// Python (and Rust) only, and why.
    Python(&'static str),
    /// Node only, and why.
    Node(&'static str),
}

/// One option.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OptionSpec {
    /// The name in Python and Rust (`snake_case`).
    pub name: &'static str,
    /// The name in Node when it is not the camelCase of `name`.
    pub node_name: Option<&'static str>,
    /// What the value is.
    pub value: OptionType,
    /// What it does, in one sentence for the stubs and declarations.
    pub doc: &'static str,
    /// What is used when it is left out, in words.
    pub default: Option<&'static str>,
    /// Where it is taken.
    pub takers: &'static [Taker],
    /// Which packages have it.
    pub languages: Languages,
    /// Whether it is a request option: how a call is sent (Node takes these
    /// in a call's last argument).
    pub request: bool,
}

impl OptionSpec {
    /// The name in Node.
    pub fn node(&self) -> String {
        match self.node_name {
            Some(name) => name.to_owned(),
            None => crate::Spelling::Camel.option(self.name),
        }
    }

    /// Whether Python has the option.
    pub fn in_python(&self) -> bool {
        !matches!(self.languages, Languages::Node(_))
    }

    /// Whether Node has the option.
    pub fn in_node(&self) -> bool {
        !matches!(self.languages, Languages::Python(_))
    }

    /// Whether `taker` takes it.
    pub fn taken_by(&self, taker: Taker) -> bool {
        self.takers.contains(&taker)
    }
}

/// The walks that read pages of a size the caller may set with `page_size`.
const PAGED: &[Taker] = &[
    Taker::List,
    Taker::Iterate,
    Taker::ToPandas,
    Taker::ToArrow,
    Taker::PartRows,
];
const CLIENTS: &[Taker] = &[Taker::Client, Taker::ClientSettings];
/// Why Python has no logging options.
const PYTHON_LOGGING: &str = "Python logs through the `logging` module's `pigello` logger";

const fn call(
    name: &'static str,
    value: OptionType,
    doc: &'static str,
    takers: &'static [Taker],
) -> OptionSpec {
    OptionSpec {
        name,
        node_name: None,
        value,
        doc,
        default: None,
        takers,
        languages: Languages::All,
        request: false,
    }
}

/// Every option, in the order the packages list them.
pub const OPTIONS: &[OptionSpec] = &[
    // How a call is sent, and what it sends beyond its documented arguments:
    // every method takes these (Stainless's request options).
    OptionSpec {
        default: Some("the client's timeout"),
        request: true,
        ..call(
            "timeout",
            OptionType::Timeout,
            "How long one attempt may take.",
            Taker::CALLS,
        )
    },
    OptionSpec {
        default: Some("the client's max_retries"),
        request: true,
        ..call(
            "max_retries",
            OptionType::Count,
            "Retries after the first attempt, for the calls that are retried at all.",
            Taker::CALLS,
        )
    },
    OptionSpec {
        node_name: Some("headers"),
        request: true,
        ..call(
            "extra_headers",
            OptionType::Headers,
            "Headers added to the client's; a credential header is refused.",
            Taker::CALLS,
        )
    },
    OptionSpec {
        request: true,
        languages: Languages::Node(
            "Python's calls stop on Ctrl-C and when their asyncio task is cancelled",
        ),
        ..call(
            "signal",
            OptionType::Signal,
            "Aborts the call: it throws `APIUserAbortError`, whose `outcomeUnknown` says whether a write may have been applied.",
            Taker::CALLS,
        )
    },
    OptionSpec {
        request: true,
        ..call(
            "extra_query",
            OptionType::QueryParameters,
            "Query parameters the reference does not list, sent as given (on a list, the documented list parameters stay the client's).",
            Taker::CALLS,
        )
    },
    OptionSpec {
        request: true,
        ..call(
            "extra_body",
            OptionType::BodyFields,
            "Body fields the reference does not list, sent as given (added to every item of a bulk write); refused, unless empty, on a call without a body.",
            Taker::CALLS,
        )
    },
    // What a list asks for.
    OptionSpec {
        default: Some("1"),
        ..call(
            "page",
            OptionType::Count,
            "The page, from 1.",
            &[Taker::List],
        )
    },
    OptionSpec {
        default: Some("100"),
        ..call("page_size", OptionType::Count, "Rows per page.", PAGED)
    },
    OptionSpec {
        default: Some("the client's page size"),
        languages: Languages::Python("Node's exports are Python's only"),
        ..call(
            "batch_size",
            OptionType::Count,
            "Rows per batch (one page each).",
            &[Taker::IterBatches, Taker::PartBatches],
        )
    },
    call(
        "order_by",
        OptionType::OrderBy,
        "Sort keys as the API writes them: `\"last_name\"`, `\"-birth_date\"`, `\"a,-b\"`, or several.",
        Taker::WALKS,
    ),
    call(
        "search",
        OptionType::Text,
        "Free-text search.",
        Taker::WALKS,
    ),
    call(
        "slim",
        OptionType::Flag,
        "Only the fields the list view shows.",
        &[Taker::List],
    ),
    call(
        "statistics",
        OptionType::Flag,
        "Asks for the number of matching rows (`total`).",
        &[Taker::List],
    ),
    OptionSpec {
        languages: Languages::Node("Python takes each filter as a keyword argument"),
        ..call(
            "filters",
            OptionType::Filters,
            "Filters as the API spells them (a key ending in `!` is negated).",
            &[Taker::List, Taker::Iterate],
        )
    },
    OptionSpec {
        default: Some("in a notebook or a terminal"),
        languages: Languages::Python("Node's exports are Python's only"),
        ..call(
            "progress",
            OptionType::Flag,
            "Shows the rows fetched: a widget in a notebook, text elsewhere.",
            &[Taker::ToPandas],
        )
    },
    // A client's settings.
    OptionSpec {
        default: Some("production"),
        ..call(
            "base_url",
            OptionType::Text,
            "Where the API is.",
            &[Taker::Client],
        )
    },
    OptionSpec {
        default: Some("60 seconds"),
        ..call(
            "timeout",
            OptionType::Timeout,
            "How long one attempt may take.",
            CLIENTS,
        )
    },
    OptionSpec {
        default: Some("2"),
        ..call(
            "max_retries",
            OptionType::Count,
            "Retries after the first attempt. A create is never retried after it may have been sent.",
            CLIENTS,
        )
    },
    call(
        "default_headers",
        OptionType::Headers,
        "Headers sent with every request; a credential header is refused.",
        CLIENTS,
    ),
    OptionSpec {
        default: Some("on, unless `PIGELLO_TELEMETRY=off`"),
        ..call(
            "telemetry",
            OptionType::Flag,
            "Whether the calls' spans and metric points go to the application's OpenTelemetry, once it has set a tracer or meter provider.",
            CLIENTS,
        )
    },
    OptionSpec {
        default: Some("`PIGELLO_CASSETTE`, else none"),
        ..call(
            "cassette",
            OptionType::Path,
            "A cassette file: the calls are recorded into it and replayed from it, without a network, as `record_mode` says.",
            CLIENTS,
        )
    },
    OptionSpec {
        default: Some("`PIGELLO_RECORD_MODE`, else `'once'`"),
        ..call(
            "record_mode",
            OptionType::RecordMode,
            "When the cassette records and when it replays (vcrpy's modes): `'once'` records when the file is missing and else only replays, `'new_episodes'` replays and records what is missing, `'none'` only replays, `'all'` records every call anew.",
            CLIENTS,
        )
    },
    OptionSpec {
        default: Some("`PIGELLO_ANONYMIZE`, else off"),
        ..call(
            "anonymize",
            OptionType::Flag,
            "Whether the cassette records fakes of the same shape (valid check digits) in place of personal and organisation numbers, e-mail addresses and phone numbers, derived with the key in `PIGELLO_ANONYMIZE_KEY` (else one drawn for the process), which the cassette never holds.",
            CLIENTS,
        )
    },
    OptionSpec {
        default: Some("`PIGELLO_LOG`, else `'warn'`"),
        languages: Languages::Node(PYTHON_LOGGING),
        ..call(
            "log_level",
            OptionType::LogLevel,
            "What is logged.",
            CLIENTS,
        )
    },
    OptionSpec {
        default: Some("`console`, each line prefixed `pigello: `"),
        languages: Languages::Node(PYTHON_LOGGING),
        ..call("logger", OptionType::Logger, "Where lines go.", CLIENTS)
    },
    // Starting a sandbox.
    OptionSpec {
        // Filled in by the generator from the sandbox's own defaults.
        default: Some("{SANDBOX_SEED}"),
        ..call(
            "seed",
            OptionType::Count,
            "Seeds the generated world.",
            &[Taker::Sandbox],
        )
    },
    OptionSpec {
        default: Some("{SANDBOX_TENANTS}"),
        ..call(
            "tenants",
            OptionType::Count,
            "Tenants of the first customer.",
            &[Taker::Sandbox],
        )
    },
    call(
        "require_secret",
        OptionType::Text,
        "Accept only this client secret.",
        &[Taker::Sandbox],
    ),
    OptionSpec {
        default: Some("a free one"),
        ..call("port", OptionType::Port, "A fixed port.", &[Taker::Sandbox])
    },
];

/// The options `taker` takes in Python (`python`) or in Node, in table order.
pub fn options_of(taker: Taker, python: bool) -> impl Iterator<Item = &'static OptionSpec> {
    OPTIONS
        .iter()
        .filter(move |o| o.taken_by(taker) && if python { o.in_python() } else { o.in_node() })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_option_is_listed_twice_for_one_taker() {
        for taker in
            Taker::CALLS
                .iter()
                .chain(&[Taker::Client, Taker::ClientSettings, Taker::Sandbox])
        {
            let mut names: Vec<&str> = options_of(*taker, true).map(|o| o.name).collect();
            names.sort();
            let before = names.len();
            names.dedup();
            assert_eq!(names.len(), before, "{taker:?}");
        }
    }

    #[test]
    fn an_option_in_one_language_only_says_why() {
        for option in OPTIONS {
            match option.languages {
                Languages::All => {}
                Languages::Python(why) | Languages::Node(why) => {
                    assert!(!why.is_empty(), "{}", option.name)
                }
            }
        }
    }

    #[test]
    fn request_options_are_taken_by_every_call() {
        for option in OPTIONS.iter().filter(|o| o.request) {
            assert_eq!(option.takers, Taker::CALLS, "{}", option.name);
        }
    }

    #[test]
    fn node_names_are_camel_case_unless_the_table_says() {
        let extra_body = OPTIONS
            .iter()
            .find(|o| o.name == "extra_body")
            .expect("extra_body");
        assert_eq!(extra_body.node(), "extraBody");
        let headers = OPTIONS
            .iter()
            .find(|o| o.name == "extra_headers")
            .expect("extra_headers");
        assert_eq!(headers.node(), "headers");
    }
}
