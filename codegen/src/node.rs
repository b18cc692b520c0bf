//! The TypeScript typing of the Node package (`bindings-node/index.d.ts`), from
//! the compiled description, like the Python typing: per resource the row as the
//! API sends it (`Tenant`), what a create takes (`TenantCreate`), what an update
//! takes (`TenantPatch`) and its filters (`TenantFilters`, each also negated
//! with a trailing `!`); and the classes of `index.js` with every method typed.

use std::fmt::Write as _;

use pigello::description::{EnumValue, FieldSpec, ItemKind, ResourceSpec, ValueKind};
use pigello::query::ScalarKind;

use crate::filters::{FilterValue, filter_values};

/// An enum field's documented values as a union, when the list is whole.
fn enum_union(f: &FieldSpec) -> Option<String> {
    let values = f.enum_values.filter(|e| e.complete)?;
    let items: Vec<String> = values
        .values
        .iter()
        .map(|v| match v {
            EnumValue::Int(i) => i.to_string(),
            EnumValue::Str(s) => format!("{s:?}"),
        })
        .collect();
    Some(items.join(" | "))
}

/// Which way a value goes: read values are what the API sends (dates as
/// strings); written ones take a relation's id, and a `Date` where a date or a
/// date-time goes.
#[derive(Clone, Copy, PartialEq)]
enum Side {
    Read,
    Write,
}

/// A field's type without null.
fn base_type(f: &FieldSpec, side: Side) -> String {
    let relation = match side {
        Side::Read => "Relation",
        Side::Write => "RelationInput",
    };
    enum_union(f).unwrap_or_else(|| match f.kind {
        ValueKind::Date | ValueKind::DateTime if side == Side::Write => "string | Date".into(),
        ValueKind::String | ValueKind::Uuid | ValueKind::Date | ValueKind::DateTime => {
            "string".into()
        }
        ValueKind::Integer => "number".into(),
        ValueKind::Boolean => "boolean".into(),
        ValueKind::Relation => relation.into(),
        ValueKind::Object => "Record<string, unknown>".into(),
        ValueKind::Array(ItemKind::Relation) => format!("{relation}[]"),
        ValueKind::Array(ItemKind::String) => "string[]".into(),
        ValueKind::Array(ItemKind::Any) => "unknown[]".into(),
        ValueKind::Any => "unknown".into(),
    })
}

/// `base | null` where null can be, not on `unknown` (which holds it already).
fn or_null(base: String, nullable: bool) -> String {
    if nullable && base != "unknown" {
        format!("{base} | null")
    } else {
        base
    }
}

/// The type of a field in a row, as the API sends it: anything but the id may be null.
fn read_type(f: &FieldSpec) -> String {
    or_null(base_type(f, Side::Read), f.name != "id")
}

/// The type a field takes when written.
fn write_type(f: &FieldSpec) -> String {
    or_null(base_type(f, Side::Write), f.nullable)
}

/// A filter value's type.
fn scalar_type(kind: ScalarKind) -> &'static str {
    match kind {
        ScalarKind::Integer => "number",
        ScalarKind::Boolean => "boolean",
        ScalarKind::Date | ScalarKind::DateTime => "string | Date",
        ScalarKind::Text | ScalarKind::Uuid => "string",
    }
}

/// Every filter key of a resource (not negated) with its value type.
fn filter_keys(spec: &ResourceSpec) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (key, value) in filter_values(spec) {
        let ty = match value {
            FilterValue::Flag => "boolean".to_owned(),
            FilterValue::List(kind) => format!("ReadonlyArray<{}> | string", scalar_type(kind)),
            FilterValue::One(kind) => scalar_type(kind).to_owned(),
        };
        out.push((key, ty));
    }
    out
}

fn resource_types(spec: &ResourceSpec, out: &mut String) {
    let n = spec.name;
    let _ = writeln!(
        out,
        "\n/** A `{n}` as the API sends it (`{}`): dates and date-times are the API's strings (a `Date` is taken only where a value is written or filtered on). Undocumented fields the API adds are kept on the object. */\nexport interface {n} {{",
        spec.paths.collection
    );
    for f in spec.fields {
        let _ = writeln!(out, "  {}: {};", f.name, read_type(f));
    }
    out.push_str("}\n");
    let _ = writeln!(
        out,
        "\n/** What creating a `{n}` takes; the server fills the rest. */\nexport interface {n}Create {{"
    );
    for f in spec.writable_fields() {
        let optional = if f.required { "" } else { "?" };
        let _ = writeln!(out, "  {}{optional}: {};", f.name, write_type(f));
    }
    out.push_str("}\n");
    let _ = writeln!(
        out,
        "\n/** An update of a `{n}`: a key set to null clears that field, an absent key leaves it alone. */\nexport type {n}Patch = Partial<{n}Create>;"
    );
    let _ = writeln!(
        out,
        "\n/** The filters of a `{n}` list, as the API spells them. */\nexport interface {n}FilterFields {{"
    );
    for (key, ty) in filter_keys(spec) {
        let _ = writeln!(out, "  {key}?: {ty};");
    }
    out.push_str("}\n");
    let _ = writeln!(
        out,
        "\n/** The filters of a `{n}` list; a key ending in `!` is negated. */\nexport type {n}Filters = {n}FilterFields & Negated<{n}FilterFields>;"
    );
}

/// `bindings-node/index.d.ts`.
pub fn declarations(specs: &[&'static ResourceSpec]) -> String {
    let mut out = String::from(
        "// Generated by `cargo run -p pigello-codegen` from the SDK's description of the API.\n// Do not edit: change the spec or the generator, then regenerate.\n",
    );
    let sandbox_defaults = pigello_sandbox::SandboxConfig::default();
    out.push('\n');
    let preamble = format!("{PREAMBLE}{}", crate::options::typescript_interfaces());
    out.push_str(
        &preamble
            .replace("{SANDBOX_SEED}", &sandbox_defaults.seed.to_string())
            .replace("{SANDBOX_TENANTS}", &sandbox_defaults.tenants.to_string()),
    );
    for spec in specs {
        resource_types(spec, &mut out);
    }
    out.push_str("\n/** The Pigello API. Resources are properties: `client.tenants`, ... */\nexport declare class Client {\n  constructor(options: ClientOptions);\n  /** A client from `PIGELLO_BASE_URL` and the seven `PIGELLO_*` credentials. */\n  static fromEnv(options?: ClientSettings): Client;\n  /** The same connections and credentials with other settings; headers add to the client's. */\n  withOptions(options: ClientSettings): Client;\n  /** The base URL calls go to. */\n  readonly baseUrl: string;\n  /** The timeout of one attempt, in milliseconds. */\n  readonly timeout: number;\n  readonly maxRetries: number;\n  /** The level this client logs at. */\n  readonly logLevel: LogLevel;\n  /** Whether `close()` was called on this client or one sharing its connections. */\n  readonly isClosed: boolean;\n  /** Closes the connections of every client sharing them; a later call throws. */\n  close(): void;\n  [Symbol.asyncDispose](): Promise<void>;\n");
    for spec in specs {
        let n = spec.name;
        let class = if spec.invite_path.is_some() {
            "InvitableResource"
        } else {
            "Resource"
        };
        let _ = writeln!(
            out,
            "  /** `{}` */\n  readonly {}: {class}<{n}, {n}Create, {n}Patch, {n}Filters>;",
            spec.paths.collection, spec.camel_plural
        );
    }
    out.push_str("  toJSON(): { baseUrl: string };\n}\n");
    out
}

/// The hand-written declarations every resource's types build on (`Resource`,
/// `Page`, the errors, the sandbox), included as they are.
const PREAMBLE: &str = include_str!("../templates/base.d.ts");
