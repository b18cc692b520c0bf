//! Each language's spelling of the option table (`pigello::description::OPTIONS`):
//! the keywords of Python's stubs, the TypeScript option interfaces, and the
//! table Node's `options.js` checks every options object against
//! (`bindings-node/option-table.js`). No option name is written anywhere else.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use pigello::Credentials;
use pigello::description::{OPTIONS, OptionSpec, OptionType, ResourceSpec, Taker, options_of};

/// The type of an option's value in Python's stubs.
fn python_type(value: OptionType) -> &'static str {
    match value {
        OptionType::Timeout => "float",
        OptionType::Count | OptionType::Port => "int",
        OptionType::Flag => "bool",
        OptionType::Text => "str",
        OptionType::OrderBy => "OrderBy",
        OptionType::Headers => "Mapping[str, str]",
        OptionType::QueryParameters | OptionType::BodyFields | OptionType::Filters => {
            "Mapping[str, Any]"
        }
        OptionType::Path => "str | os.PathLike[str]",
        OptionType::RecordMode => "RecordMode",
        OptionType::Signal | OptionType::LogLevel | OptionType::Logger => "Any",
    }
}

/// The options a Python method takes, in the order Python shows them: the
/// method's own first, then the request options.
fn python_options(taker: Taker) -> impl Iterator<Item = &'static OptionSpec> {
    let (own, request): (Vec<&OptionSpec>, Vec<&OptionSpec>) =
        options_of(taker, true).partition(|o| !o.request);
    own.into_iter().chain(request)
}

/// The keyword-only parameters a Python method takes for its options, one
/// per line, as a stub writes them.
pub fn python_keywords(taker: Taker) -> String {
    let mut out = String::new();
    for option in python_options(taker) {
        let _ = writeln!(
            out,
            "        {}: {} | None = None,",
            option.name,
            python_type(option.value)
        );
    }
    out
}

/// The type of an option's value in TypeScript; `F` is a resource's filters.
fn typescript_type(value: OptionType) -> &'static str {
    match value {
        OptionType::Timeout | OptionType::Count | OptionType::Port => "number",
        OptionType::Flag => "boolean",
        OptionType::Text => "string",
        OptionType::OrderBy => "string | ReadonlyArray<string>",
        OptionType::Headers => "Record<string, string>",
        OptionType::QueryParameters => "Record<string, FilterScalar | ReadonlyArray<FilterScalar>>",
        OptionType::BodyFields => "Record<string, unknown>",
        OptionType::Filters => "F",
        OptionType::Signal => "AbortSignal",
        OptionType::LogLevel => "LogLevel",
        OptionType::Logger => "Logger",
        OptionType::Path => "string",
        OptionType::RecordMode => "RecordMode",
    }
}

/// The key `options.js` checks a value of this type by.
fn node_check(value: OptionType) -> &'static str {
    match value {
        OptionType::Timeout => "milliseconds",
        OptionType::Count => "count",
        OptionType::Port => "port",
        OptionType::Flag => "flag",
        OptionType::Text => "text",
        OptionType::OrderBy => "orderBy",
        OptionType::Headers => "headers",
        OptionType::QueryParameters | OptionType::BodyFields | OptionType::Filters => "object",
        OptionType::Signal => "signal",
        OptionType::LogLevel => "logLevel",
        OptionType::Logger => "logger",
        OptionType::Path => "text",
        OptionType::RecordMode => "recordMode",
    }
}

/// One member of a TypeScript options interface, with its doc comment.
fn typescript_member(option: &OptionSpec, out: &mut String) {
    let mut doc = option.doc.trim_end_matches('.').to_owned();
    if option.value == OptionType::Timeout {
        doc.push_str(", in milliseconds");
    }
    if let Some(default) = option.default {
        let _ = write!(doc, " (default {default})");
    }
    doc.push('.');
    let _ = writeln!(
        out,
        "  /** {doc} */\n  {}?: {};",
        option.node(),
        typescript_type(option.value)
    );
}

/// An interface of the options `taker` takes in Node (`request`: only the
/// request options, or only the others).
fn typescript_interface(name: &str, doc: &str, taker: Taker, request: bool, out: &mut String) {
    let _ = writeln!(out, "\n/** {doc} */\nexport interface {name} {{");
    for option in options_of(taker, false).filter(|o| o.request == request) {
        typescript_member(option, out);
    }
    out.push_str("}\n");
}

/// The option interfaces of `index.d.ts`.
pub fn typescript_interfaces() -> String {
    let mut out = String::new();
    typescript_interface(
        "ClientSettings",
        "The settings every client takes.",
        Taker::ClientSettings,
        false,
        &mut out,
    );
    typescript_interface(
        "RequestOptions",
        "What every call takes as its last argument, for that call only: how it is sent, and what it sends beyond its documented arguments.",
        Taker::Get,
        true,
        &mut out,
    );
    typescript_interface(
        "IterateOptions<F>",
        "What `iterate()` takes.",
        Taker::Iterate,
        false,
        &mut out,
    );
    typescript_interface(
        "ListOptions<F>",
        "What `list()` takes.",
        Taker::List,
        false,
        &mut out,
    );
    typescript_interface(
        "SandboxOptions",
        "What `Sandbox.start()` takes.",
        Taker::Sandbox,
        false,
        &mut out,
    );
    out.push_str(
        "\n/** The credentials of an activated integration, and the settings. */\nexport interface ClientOptions extends ClientSettings {\n",
    );
    for credential in Credentials::NAMES {
        let _ = writeln!(
            out,
            "  {}: string;",
            pigello::Spelling::Camel.name(&credential)
        );
    }
    for option in options_of(Taker::Client, false).filter(|o| !o.taken_by(Taker::ClientSettings)) {
        typescript_member(option, &mut out);
    }
    out.push_str("}\n");
    out
}

/// `bindings-node/option-table.js`: the options each method takes, as Node spells
/// them, and how each value is checked.
pub fn node_table() -> Result<String, String> {
    let mut out = String::from(
        "'use strict';\n// Generated by `cargo run -p pigello-codegen` from the option table of the core\n// (`pigello::description::OPTIONS`). Do not edit: change the table, then regenerate.\n\n",
    );
    let mut checks: BTreeMap<String, &str> = BTreeMap::new();
    let mut note = |name: String, check: &'static str| -> Result<(), String> {
        match checks.insert(name.clone(), check) {
            Some(other) if other != check => Err(format!(
                "the option {name} has two types in Node: {other} and {check}"
            )),
            _ => Ok(()),
        }
    };
    out.push_str("/** The options each method takes, by its name in Node. */\nconst TAKES = {\n");
    let takers = Taker::CALLS.iter().filter(|t| t.in_node()).chain(&[
        Taker::Client,
        Taker::ClientSettings,
        Taker::Sandbox,
    ]);
    for &taker in takers {
        let mut names: Vec<String> = Vec::new();
        if taker == Taker::Client {
            for credential in Credentials::NAMES {
                let name = pigello::Spelling::Camel.name(&credential);
                note(name.clone(), "text")?;
                names.push(name);
            }
        }
        for option in options_of(taker, false) {
            note(option.node(), node_check(option.value))?;
            names.push(option.node());
        }
        let quoted: Vec<String> = names.iter().map(|n| format!("'{n}'")).collect();
        let _ = writeln!(out, "  {}: [{}],", node_method(taker), quoted.join(", "));
    }
    out.push_str("};\n\n/** The options every call takes as its last argument. */\nconst REQUEST_OPTIONS = [");
    let request: Vec<String> = OPTIONS
        .iter()
        .filter(|o| o.request && o.in_node())
        .map(|o| format!("'{}'", o.node()))
        .collect();
    out.push_str(&request.join(", "));
    out.push_str("];\n\n/** How each option's value is checked (a key of `options.js`'s checks). */\nconst CHECKS = {\n");
    for (name, check) in &checks {
        let _ = writeln!(out, "  {name}: '{check}',");
    }
    out.push_str("};\n\nmodule.exports = { TAKES, REQUEST_OPTIONS, CHECKS };\n");
    Ok(out)
}

/// The name `options.js` knows a taker by.
fn node_method(taker: Taker) -> &'static str {
    match taker {
        Taker::BulkWrite => "bulkWrite",
        Taker::Client => "client",
        Taker::ClientSettings => "clientSettings",
        Taker::Sandbox => "sandbox",
        other => other.python(),
    }
}

/// `pigello/_options.py`: the keywords each Python method and constructor
/// takes for its options, in the order Python shows them: for the signatures
/// of `_resources.py` and the test that holds the native methods to the table.
pub fn python_table() -> String {
    let mut out = String::from(
        "# Generated by `cargo run -p pigello-codegen` from the option table of the core\n# (`pigello::description::OPTIONS`). Do not edit: change the table, then regenerate.\n\"\"\"The option keywords each method and constructor takes, as the core's table lists them.\"\"\"\n\nTAKES: dict[str, tuple[str, ...]] = {\n",
    );
    let takers = Taker::CALLS
        .iter()
        .chain(&[Taker::Client, Taker::ClientSettings, Taker::Sandbox]);
    for &taker in takers {
        // One name a line, as `ruff format` writes a tuple with a trailing comma.
        let _ = writeln!(out, "    \"{}\": (", taker.python());
        for option in python_options(taker) {
            let _ = writeln!(out, "        \"{}\",", option.name);
        }
        out.push_str("    ),\n");
    }
    out.push_str("}\n\nCREDENTIALS: tuple[str, ...] = (\n");
    for credential in Credentials::NAMES {
        let _ = writeln!(out, "    \"{}\",", credential.field);
    }
    out.push_str(")\n");
    out
}

/// Every documented field or filter of `specs` whose name is an option of the
/// Python method that takes it as a keyword (a field of `create` or `update`,
/// a filter of `list` or a walk): such a name would be read as the option,
/// never sent as the field or filter, so the generator refuses the spec.
pub fn reserved_collisions(specs: &[&'static ResourceSpec]) -> Vec<String> {
    let taken = |takers: &[Taker]| -> Vec<&'static str> {
        takers
            .iter()
            .flat_map(|&t| options_of(t, true).map(|o| o.name))
            .collect()
    };
    let field_options = taken(Taker::WRITES);
    let filter_options = taken(Taker::WALKS);
    let mut out = Vec::new();
    for spec in specs {
        for field in spec.writable_fields() {
            if field_options.contains(&field.name) {
                out.push(format!(
                    "{}: the field {} is an option's name",
                    spec.name, field.name
                ));
            }
        }
        for (filter, _) in crate::filters::filter_values(spec) {
            for key in [filter.clone(), format!("{filter}__not")] {
                if filter_options.contains(&key.as_str()) {
                    out.push(format!(
                        "{}: the filter {key} is an option's name",
                        spec.name
                    ));
                }
            }
        }
    }
    out
}

/// `bindings-python/src/api/signatures.rs`: the signature Python shows
/// (`help()`, `inspect.signature`, the reference) for each native constructor
/// and method that reads its keywords through the table, since their Rust
/// signatures say only `**keywords`. Each is the first line of the method's
/// doc, in the form CPython reads a text signature from.
pub fn python_signatures() -> String {
    let keywords = |taker: Taker| -> Vec<String> {
        python_options(taker).map(|o| o.name.to_owned()).collect()
    };
    let credentials = Credentials::NAMES.iter().map(|c| c.field.to_owned());
    let client: Vec<String> = credentials.chain(keywords(Taker::Client)).collect();
    let settings = keywords(Taker::ClientSettings);
    let part_rows = keywords(Taker::PartRows);
    // (the name Python shows, its parameters before the keywords, its keywords);
    // the last three are a `Partition`'s.
    let signatures: [(&str, &str, &[String]); 10] = [
        ("Client", "", &client),
        ("AsyncClient", "", &client),
        ("from_env", "", &settings),
        ("with_options", "$self, ", &settings),
        ("Sandbox", "", &keywords(Taker::Sandbox)),
        ("client", "$self, ", &settings),
        ("async_client", "$self, ", &settings),
        ("to_pandas", "$self, client=None, ", &part_rows),
        ("to_arrow", "$self, client=None, ", &part_rows),
        (
            "iter_batches",
            "$self, client=None, ",
            &keywords(Taker::PartBatches),
        ),
    ];
    let mut out = String::from(
        "// Generated by `cargo run -p pigello-codegen` from the option table of the core\n// (`pigello::description::OPTIONS`). Do not edit: change the table, then regenerate.\n\n//! The signatures Python shows for the native constructors and methods that\n//! read their keywords through the option table (their Rust signatures say\n//! only `**keywords`): `#[doc = signature!(from_env)]` makes one the first\n//! line of a doc, in the `name(...)\\n--\\n` form CPython reads\n//! `__text_signature__` from. Every keyword is optional: `None` leaves it out.\n\nmacro_rules! signature {\n",
    );
    for (name, first, keywords) in signatures {
        let parameters: Vec<String> = keywords.iter().map(|k| format!("{k}=None")).collect();
        let _ = writeln!(
            out,
            "    ({name}) => {{\n        \"{name}({first}*, {})\\n--\\n\"\n    }};",
            parameters.join(", ")
        );
    }
    out.push_str("}\n\npub(crate) use signature;\n");
    out
}
