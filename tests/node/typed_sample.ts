// Compiled by `tsc --strict --noEmit` in the tests: how a TypeScript user writes
// against the package, and what the types refuse.
import {
  APIError,
  Client,
  NotFoundError,
  RateLimitError,
  Sandbox,
  ValidationError,
  type LogLevel,
  type Logger,
  type Tenant,
  type TenantCreate,
  type TenantFilters,
} from "pigello";

export async function sample(): Promise<number> {
  const sb = await Sandbox.start({ seed: 1, tenants: 10 });
  const client: Client = sb.client({ maxRetries: 0 });
  const childEnv: Record<string, string> = { ...sb.env() };
  if (childEnv.PIGELLO_BASE_URL !== sb.url) throw new Error("the sandbox's environment names another URL");
  const filters: TenantFilters = {
    first_name__icontains: "an",
    "ssn__isnull!": true,
    active_to__gte: "2024-01-01T00:00:00Z",
  };
  const page = await client.tenants.list({ pageSize: 5, orderBy: ["-birth_date"], filters });
  const names: (string | null)[] = page.data.map((t: Tenant) => t.first_name);
  let count = names.length;
  for await (const row of client.organizationUsers.iterate({ pageSize: 10 })) {
    const id: string = row.id;
    count += id.length > 0 ? 1 : 0;
  }
  const input: TenantCreate = { first_name: "Ada", last_name: "Lind" };
  const created = await client.tenants.create(input);
  await client.tenants.update(created, { last_name: null });
  await client.tenants.invite({ email: "ada@example.se" });
  try {
    await client.tenants.get(created.id);
  } catch (error) {
    if (error instanceof NotFoundError) count += error.status;
    if (error instanceof RateLimitError) count += error.retryAfter ?? 0;
    if (error instanceof ValidationError) count += error.errors.length;
    if (error instanceof APIError) console.log(error.requestId, error.code);
  }
  sb.injectFault({ kind: "status", status: 503, retryAfter: 1, path: "*", count: 1 });
  count += await withEveryOption(client, created);
  await sb.stop();
  return count;
}

export async function withEveryOption(client: Client, tenant: Tenant): Promise<number> {
  const patient: Client = client.withOptions({ timeout: 120_000, maxRetries: 5, defaultHeaders: { "X-App": "a" } });
  const lines: string[] = [];
  const logger: Logger = { error: console.error, warn: console.warn, info: (line: string) => lines.push(line), debug: () => {} };
  const level: LogLevel = patient.withOptions({ logLevel: "info", logger }).logLevel;
  const born: Tenant = await client.tenants.create({ first_name: "D", birth_date: new Date(Date.UTC(1981, 11, 18)) });
  const recent = await client.tenants.list({ filters: { created_at__gte: new Date(), birth_date__in: [new Date(), "1990-01-01"] } });
  const bornOn: string | null = born.birth_date;
  const headers = { "X-Trace": "t-1" };
  const got = await patient.tenants.get(tenant.id, { timeout: 5_000, maxRetries: 0, headers });
  const page = await client.tenants.list({ pageSize: 2 }, { timeout: 2_500, headers });
  await client.tenants.update(got, { last_name: "B" }, { extraBody: { x: 1 }, maxRetries: 1 });
  await client.tenants.delete(tenant, { timeout: 1_000 });
  const written = await client.tenants.bulkWrite([{ first_name: "C" }], { headers });
  const { data, response, requestId } = await client.tenants.get(tenant.id).withResponse();
  const status: number = response.status;
  const id: string = data.id + (requestId ?? "") + (response.headers["content-type"] ?? "");
  client.close();
  await client[Symbol.asyncDispose]();
  if (status !== 200 || id.length === 0 || level !== "info" || bornOn === null) return recent.data.length;
  return page.data.length + written.length + (client.isClosed ? 1 : 0) + client.timeout + client.maxRetries;
}

// What the types catch at compile time.
export async function refused(client: Client): Promise<void> {
  // @ts-expect-error a field the resource does not have
  await client.tenants.create({ frist_name: "Ada" });
  // @ts-expect-error a filter the resource does not take
  await client.tenants.list({ filters: { first_name__sounds_like: "a" } });
  // @ts-expect-error a row field that does not exist
  (await client.tenants.get("x")).frist_name;
  // @ts-expect-error only three resources have an invite endpoint
  await client.workEngagements.invite({});
  // @ts-expect-error a wrong value type
  await client.tenants.create({ first_name: 5 });
  // @ts-expect-error a misspelt request option
  await client.tenants.get("x", { timout: 5 });
  // @ts-expect-error a header value that is not a string
  await client.tenants.delete("x", { headers: { "X-A": 5 } });
  // @ts-expect-error a misspelt client setting
  client.withOptions({ maxRetry: 1 });
  // @ts-expect-error read values stay the API's strings
  const created: Date = (await client.tenants.get("x")).created_at;
  // @ts-expect-error a level that is not one
  client.withOptions({ logLevel: "verbose" });
  // @ts-expect-error a logger without a debug method
  client.withOptions({ logger: { error() {}, warn() {}, info() {} } });
}
