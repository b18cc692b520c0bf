/** A relation as the API sends it. */
export interface Relation {
  id: string;
}

/** A relation as it may be written: an id, or an object with one. */
export type RelationInput = string | { id: string };

/** Every key of a filter set, negated: `first_name__icontains!`. */
export type Negated<F> = { [K in keyof F as K extends string ? `${K}!` : never]: F[K] };

/** The levels a client can log at, most quiet first. */
export type LogLevel = 'off' | 'error' | 'warn' | 'info' | 'debug';
/** When a cassette records and when it replays (vcrpy's record modes). */
export type RecordMode = 'once' | 'new_episodes' | 'none' | 'all';

/** What takes the lines (`console`, a pino or winston logger): one line of
 * text per event, never a credential, a body or a personal value. A logger
 * that throws is said once, as a `PigelloLoggerWarning` process warning. */
export interface Logger {
  error(message: string, ...rest: unknown[]): void;
  warn(message: string, ...rest: unknown[]): void;
  info(message: string, ...rest: unknown[]): void;
  debug(message: string, ...rest: unknown[]): void;
}

/** A value of a query parameter. */
export type FilterScalar = string | number | boolean;

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
  /** The next page (the same options and request options), or null after the last. */
  nextPage(): Promise<Page<T> | null>;
  /** Whether a later page may hold rows (`hasNext`, as openai-node names it). */
  hasNextPage(): boolean;
  /** The next page; throws `PigelloError` when there is none. */
  getNextPage(): Promise<Page<T>>;
  /** This page and each next one, fetched as the loop reaches it. */
  iterPages(): AsyncGenerator<Page<T>, void, undefined>;
  [Symbol.iterator](): Iterator<T>;
}

/** What a call's answer said besides its value. */
export interface APIResponseInfo {
  status: number;
  /** Every header, by lower-case name. */
  headers: Record<string, string>;
}

/** What every call returns: a Promise of its value, and `.withResponse()`. */
export declare class APIPromise<T> extends Promise<T> {
  /** The value, the answer's status and headers, and its request id. */
  withResponse(): Promise<{ data: T; response: APIResponseInfo; requestId: string | null }>;
}

/** An id, or a row (anything with an `id`). */
export type IdLike = string | { id: string };

/** The operations of one resource. */
export declare class Resource<T, C, P, F> {
  protected constructor();
  /** The resource's name, as the API spells it. */
  readonly name: string;
  /** One object by id. */
  get(id: IdLike, requestOptions?: RequestOptions): APIPromise<T>;
  /** One page; without `page`, the first page of `pageSize` (default 100) rows. */
  list(options?: ListOptions<F>, requestOptions?: RequestOptions): APIPromise<Page<T>>;
  /** Every matching row, one page fetched at a time. */
  iterate(
    options?: IterateOptions<F>,
    requestOptions?: RequestOptions,
  ): AsyncGenerator<T, void, undefined>;
  /** Creates an object; every documented rule is checked before sending, and a key naming no documented field is refused. */
  create(input: C, requestOptions?: RequestOptions): APIPromise<T>;
  /** Updates an object: a key set to null clears it, an absent key stays. */
  update(id: IdLike, patch: P, requestOptions?: RequestOptions): APIPromise<T>;
  /** Deletes an object. */
  delete(id: IdLike, requestOptions?: RequestOptions): APIPromise<void>;
  /** Items with an `id` update that object, items without one create. */
  bulkWrite(
    items: ReadonlyArray<C | (P & { id: string })>,
    requestOptions?: RequestOptions,
  ): APIPromise<T[]>;
}

/** A resource with an invite endpoint. */
export declare class InvitableResource<T, C, P, F> extends Resource<T, C, P, F> {
  /** Calls the invite endpoint with a JSON body. */
  invite(body: Record<string, unknown>, requestOptions?: RequestOptions): APIPromise<unknown>;
}

/** The base of every error the package throws. */
export declare class PigelloError extends Error {
  /** A stable string naming what went wrong (`validation_error`, `not_found`, ...). */
  readonly code: string;
  /**
   * True when a write may have been applied although the call failed: an
   * attempt of it was sent and its answer lost, whatever a later one answered.
   */
  readonly outcomeUnknown: boolean;
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
  /** The wait, in seconds, the server asked for (`Retry-After`), or null. */
  readonly retryAfter: number | null;
}
export declare class BadRequestError extends APIError {}
export declare class AuthenticationError extends APIError {}
export declare class PermissionDeniedError extends APIError {}
export declare class NotFoundError extends APIError {}
export declare class ConflictError extends APIError {}
export declare class InternalServerError extends APIError {}
/** 429: `retryAfter` says how long to wait. */
export declare class RateLimitError extends APIError {}

/** No answer came. */
export declare class APIConnectionError extends PigelloError {}
export declare class APITimeoutError extends APIConnectionError {}
/** The call was cancelled by its `signal`; `outcomeUnknown` says whether a write may have happened. */
export declare class APIUserAbortError extends PigelloError {}

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

/** A cassette cannot be used (`code` `"cassette_invalid"`: `file`, `line`), or holds no
 * answer to a request it must replay (`"cassette_unmatched"`: `file`, `method`, `path`, and the
 * `closest` recorded request, its personal values redacted); nothing was sent. */
export declare class CassetteError extends PigelloError {
  readonly file: string;
  readonly line: number | null;
  readonly method: string | null;
  readonly path: string | null;
  readonly closest: string | null;
}

/** What a fault does. */
export type FaultAction =
  | { kind: "status"; status: number; retryAfter?: number }
  | { kind: "latency"; ms: number }
  | { kind: "drop" }
  | { kind: "drop_after_write" }
  /** Adds a header to the answer (after any of that name), as a proxy on the way may. */
  | { kind: "header"; name: string; value: string };

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

/** One request the sandbox received. */
export interface SeenRequest {
  requestId: string;
  method: string;
  path: string;
  /** The query string as sent (empty if none). */
  query: string;
  /** Every header by lower-case name; the `x-pigello-*` credentials show `<redacted>`. */
  headers: Record<string, string>;
  /** The keys every object of the JSON body has (the body, or each item of a bulk write), sorted; names only, never values. */
  bodyKeys: string[];
}

/** A local Pigello Accounts API in this process, on a free loopback port. */
export declare class Sandbox {
  private constructor();
  static start(options?: SandboxOptions): Promise<Sandbox>;
  /** The base URL, `http://127.0.0.1:PORT`. */
  readonly url: string;
  /** A client holding credentials for the first seeded customer. */
  client(options?: ClientSettings): Client;
  /** The `PIGELLO_*` variables that make `Client.fromEnv()` reach this sandbox, for a child process or a test runner's workers. */
  env(): Record<string, string>;
  /** Back to the seeded world; fault rules are cleared. */
  reset(): void;
  /** Adds a fault rule; returns its index in `faultHits()`. */
  injectFault(rule: FaultRule): number;
  /** How many times each fault rule fired, in the order they were added. */
  faultHits(): number[];
  clearFaults(): void;
  /** The last requests the API received, oldest first (credential headers redacted). */
  requests(): SeenRequest[];
  /** Forgets the requests received so far. */
  clearRequests(): void;
  /** The whole state, as the state file holds it. */
  exportState(): Record<string, unknown>;
  /** Replaces the state with an exported one (refused whole if it breaks a rule). */
  importState(state: Record<string, unknown>): void;
  /** Stops the server; later calls to it fail to connect. */
  stop(): Promise<void>;
}

/** The package's version. */
export declare const version: string;
