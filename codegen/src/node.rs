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

/// The type of a field in a row, as the API sends it.
fn read_type(f: &FieldSpec) -> String {
    let base = enum_union(f).unwrap_or_else(|| {
        match f.kind {
            ValueKind::String | ValueKind::Uuid | ValueKind::Date | ValueKind::DateTime => "string",
            ValueKind::Integer => "number",
            ValueKind::Boolean => "boolean",
            ValueKind::Relation => "Relation",
            ValueKind::Object => "Record<string, unknown>",
            ValueKind::Array(ItemKind::Relation) => "Relation[]",
            ValueKind::Array(ItemKind::String) => "string[]",
            ValueKind::Array(ItemKind::Any) => "unknown[]",
            ValueKind::Any => "unknown",
        }
        .to_owned()
    });
    if f.name == "id" || base == "unknown" {
        base
    } else {
        format!("{base} | null")
    }
}

/// The type a field takes when written.
fn write_type(f: &FieldSpec) -> String {
    let base = enum_union(f).unwrap_or_else(|| {
        match f.kind {
            ValueKind::String | ValueKind::Uuid | ValueKind::Date | ValueKind::DateTime => "string",
            ValueKind::Integer => "number",
            ValueKind::Boolean => "boolean",
            ValueKind::Relation => "RelationInput",
            ValueKind::Object => "Record<string, unknown>",
            ValueKind::Array(ItemKind::Relation) => "RelationInput[]",
            ValueKind::Array(ItemKind::String) => "string[]",
            ValueKind::Array(ItemKind::Any) => "unknown[]",
            ValueKind::Any => "unknown",
        }
        .to_owned()
    });
    if f.nullable && base != "unknown" {
        format!("{base} | null")
    } else {
        base
    }
}

fn scalar_type(kind: ScalarKind) -> &'static str {
    match kind {
        ScalarKind::Integer => "number",
        ScalarKind::Boolean => "boolean",
        ScalarKind::Text | ScalarKind::Uuid | ScalarKind::Date | ScalarKind::DateTime => "string",
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
        "\n/** A `{n}` as the API sends it (`{}`). Undocumented fields the API adds are kept on the object. */\nexport interface {n} {{",
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
pub fn declarations() -> String {
    let mut out = String::from(
        "// Generated by `cargo run -p pigello-codegen` from the SDK's description of the API.\n// Do not edit: change the spec or the generator, then regenerate.\n",
    );
    out.push_str(PREAMBLE);
    for spec in pigello::resources::ALL {
        resource_types(spec, &mut out);
    }
    out.push_str("\n/** The Pigello API. Resources are properties: `client.tenants`, ... */\nexport declare class Client {\n  constructor(options: ClientOptions);\n  /** A client from `PIGELLO_BASE_URL` and the seven `PIGELLO_*` credentials. */\n  static fromEnv(options?: ClientSettings): Client;\n  /** The base URL calls go to. */\n  readonly baseUrl: string;\n");
    for spec in pigello::resources::ALL {
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

const PREAMBLE: &str = r#"
/** A relation as the API sends it. */
export interface Relation {
  id: string;
}

/** A relation as it may be written: an id, or an object with one. */
export type RelationInput = string | { id: string };

/** Every key of a filter set, negated: `first_name__icontains!`. */
export type Negated<F> = { [K in keyof F as K extends string ? `${K}!` : never]: F[K] };

/** The settings every client takes. */
export interface ClientSettings {
  /** Per attempt, in milliseconds (default 60 000). */
  timeoutMs?: number;
  /** Retries after the first attempt (default 2). A create is never retried after it may have been sent. */
  maxRetries?: number;
}

/** The credentials of an activated integration, and the settings. */
export interface ClientOptions extends ClientSettings {
  customerId: string;
  applicationId: string;
  serviceId: string;
  serviceVersionId: string;
  clientCt: string;
  clientObjectId: string;
  clientSecret: string;
  /** Production when absent. */
  baseUrl?: string;
}

/** What `iterate()` takes. */
export interface IterateOptions<F> {
  /** Rows per request (default 100). */
  pageSize?: number;
  /** `"last_name"`, `"-birth_date"`, `"a,-b"` or an array of such keys. */
  orderBy?: string | ReadonlyArray<string>;
  search?: string;
  filters?: F;
}

/** What `list()` takes. */
export interface ListOptions<F> extends IterateOptions<F> {
  /** From 1 (default 1). */
  page?: number;
  /** Only the fields the list view shows. */
  slim?: boolean;
  /** Ask for the number of matching rows (`total`). */
  statistics?: boolean;
}

/** One page of a list. */
export declare class Page<T> implements Iterable<T> {
  private constructor();
  readonly data: T[];
  /** Every matching row, when the list asked for statistics. */
  readonly total: number | null;
  readonly page: number;
  readonly pageSize: number;
  readonly requestId: string | null;
  /** Whether a later page may hold rows. */
  readonly hasNext: boolean;
  /** The next page, or null after the last. */
  nextPage(): Promise<Page<T> | null>;
  [Symbol.iterator](): Iterator<T>;
}

/** An id, or a row (anything with an `id`). */
export type IdLike = string | { id: string };

/** The operations of one resource. */
export declare class Resource<T, C, P, F> {
  protected constructor();
  /** The resource's name, as the API spells it. */
  readonly name: string;
  /** One object by id. */
  get(id: IdLike): Promise<T>;
  /** One page; without `page`, the first page of `pageSize` (default 100) rows. */
  list(options?: ListOptions<F>): Promise<Page<T>>;
  /** Every matching row, one page fetched at a time. */
  iterate(options?: IterateOptions<F>): AsyncGenerator<T, void, undefined>;
  /** Creates an object; every documented rule is checked before sending. */
  create(input: C): Promise<T>;
  /** Updates an object: a key set to null clears it, an absent key stays. */
  update(id: IdLike, patch: P): Promise<T>;
  /** Deletes an object. */
  delete(id: IdLike): Promise<void>;
  /** Items with an `id` update that object, items without one create. */
  bulkWrite(items: ReadonlyArray<C | (P & { id: string })>): Promise<T[]>;
}

/** A resource with an invite endpoint. */
export declare class InvitableResource<T, C, P, F> extends Resource<T, C, P, F> {
  /** Calls the invite endpoint with a JSON body. */
  invite(body: Record<string, unknown>): Promise<unknown>;
}

/** The base of every error the package throws. */
export declare class PigelloError extends Error {
  /** A stable string naming what went wrong (`validation_error`, `not_found`, ...). */
  readonly code: string;
}

/** One broken rule: where, which rule, and what it says. */
export declare class ValidationIssue {
  readonly path: string;
  readonly rule: string;
  readonly message: string;
  /** `path: message`. */
  toString(): string;
}

/** The input broke documented rules; nothing was sent. */
export declare class ValidationError extends PigelloError {
  readonly errors: ValidationIssue[];
}

/** The API answered with an error status. */
export declare class APIError extends PigelloError {
  readonly status: number;
  /** The start of the answer's body. */
  readonly body: string;
  readonly requestId: string | null;
  /** The field errors the API listed. */
  readonly errors: ValidationIssue[];
}
export declare class BadRequestError extends APIError {}
export declare class AuthenticationError extends APIError {}
export declare class PermissionDeniedError extends APIError {}
export declare class NotFoundError extends APIError {}
export declare class ConflictError extends APIError {}
export declare class InternalServerError extends APIError {}
/** 429. */
export declare class RateLimitError extends APIError {
  /** The wait, in seconds, the server asked for. */
  readonly retryAfter: number | null;
}

/** No answer came. */
export declare class APIConnectionError extends PigelloError {
  /** True when a write may have happened. */
  readonly outcomeUnknown: boolean;
}
export declare class APITimeoutError extends APIConnectionError {}

/** A range of item indexes, `start` included, `end` not. */
export interface IndexRange {
  start: number;
  end: number;
}

/** A bulk write stopped part way; `cause` says why. */
export declare class BulkWriteError extends PigelloError {
  readonly written: IndexRange;
  readonly failed: IndexRange;
  readonly notAttempted: IndexRange;
  /** The rows written before it stopped. */
  readonly rows: unknown[];
}

/** What a fault does. */
export type FaultAction =
  | { kind: "status"; status: number; retryAfter?: number }
  | { kind: "latency"; ms: number }
  | { kind: "drop" }
  | { kind: "drop_after_write" };

/** A fault rule: what it does, and which calls it hits. */
export type FaultRule = FaultAction & {
  /** `GET`, `POST`, ...; any method when absent. */
  method?: string;
  /** A path pattern; `*` matches any run of characters. */
  path?: string;
  /** The chance a matching call is hit, from 0 to 1 (default 1). */
  probability?: number;
  /** Fire at most this many times. */
  count?: number;
  /** Seeds the rule's generator, so a run is reproducible. */
  seed?: number;
};

/** What `Sandbox.start()` takes. */
export interface SandboxOptions {
  /** Seeds the generated world (default 1). */
  seed?: number;
  /** Tenants of the first customer (default 50). */
  tenants?: number;
  /** Accept only this client secret. */
  requireSecret?: string;
  /** A fixed port; a free one when absent. */
  port?: number;
}

/** A local Pigello Accounts API in this process, on a free loopback port. */
export declare class Sandbox {
  private constructor();
  static start(options?: SandboxOptions): Promise<Sandbox>;
  /** The base URL, `http://127.0.0.1:PORT`. */
  readonly url: string;
  /** A client holding credentials for the first seeded customer. */
  client(options?: ClientSettings): Client;
  /** Back to the seeded world; fault rules are cleared. */
  reset(): void;
  /** Adds a fault rule; returns its index in `faultHits()`. */
  injectFault(rule: FaultRule): number;
  /** How many times each fault rule fired, in the order they were added. */
  faultHits(): number[];
  clearFaults(): void;
  /** The whole state, as the state file holds it. */
  exportState(): Record<string, unknown>;
  /** Replaces the state with an exported one (refused whole if it breaks a rule). */
  importState(state: Record<string, unknown>): void;
  /** Stops the server; later calls to it fail to connect. */
  stop(): Promise<void>;
}

/** The package's version. */
export declare const version: string;
"#;
