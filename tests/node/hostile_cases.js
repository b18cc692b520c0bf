'use strict';
// Hostile inputs, one per case; `node hostile_cases.js NAME URL` runs one in
// its own process and prints what happened as JSON: the error's class, code
// and message, or "ok". hostile.test.js runs each and judges the outcome.

const pigello = require('pigello');

const SECRET = 'S3CRET-node-hostile';
const PERSONAL_NUMBER = '19811218-9875';

const CREDENTIALS = {
  customerId: '00000000-0000-4000-8000-000000000001',
  applicationId: 'a',
  serviceId: 's',
  serviceVersionId: 'v',
  clientCt: 'c',
  clientObjectId: 'o',
  clientSecret: SECRET,
};

function nested(depth, mapping = false) {
  let value = 'x';
  for (let i = 0; i < depth; i += 1) value = mapping ? { k: value } : [value];
  return value;
}

function circular() {
  const value = { a: 1 };
  value.self = value;
  return value;
}

const bigList = () => new Array(1_000_000).fill('a');

// name: [call, the error classes allowed, a word the message has]
const CASES = {
  'a body nested 10 000 deep': [(c) => c.tenants.create({ first_name: nested(10_000) }), ['RangeError'], 'first_name[0]'],
  'a body nested 100 000 deep': [(c) => c.tenants.create({ first_name: nested(100_000) }), ['RangeError'], '64 levels'],
  'a patch nested 10 000 deep as objects': [(c, id) => c.tenants.update(id, { x: nested(10_000, true) }), ['RangeError'], 'x.k.k'],
  'a filter nested 10 000 deep': [(c) => c.tenants.list({ filters: { first_name: nested(10_000) } }), ['RangeError'], 'first_name'],
  'extraQuery nested 100 000 deep': [(c) => c.tenants.list({}, { extraQuery: { x: nested(100_000) } }), ['RangeError'], 'extraQuery.x'],
  'a bulk item nested 10 000 deep': [(c) => c.tenants.bulkWrite([{ first_name: 'a' }, nested(10_000, true)]), ['RangeError'], 'items[1].k'],
  'an invite body nested 10 000 deep': [(c) => c.tenants.invite({ x: nested(10_000) }), ['RangeError'], 'invite() body.x'],
  'a circular body': [(c) => c.tenants.create({ first_name: 'a', x: circular() }), ['TypeError'], 'contains itself'],
  'NaN in a body': [(c) => c.tenants.create({ first_name: NaN }), ['RangeError'], 'NaN'],
  'Infinity in a filter': [(c) => c.tenants.list({ filters: { first_name: Infinity } }), ['RangeError'], 'Infinity'],
  'an integer past 2^53': [(c) => c.tenants.create({ first_name: 2 ** 60 }), ['RangeError'], '2^53'],
  'a BigInt': [(c) => c.tenants.create({ first_name: 10n }), ['TypeError'], 'bigint'],
  'a Symbol': [(c) => c.tenants.create({ first_name: Symbol('x') }), ['TypeError'], 'symbol'],
  'a Symbol key': [(c) => c.tenants.create({ first_name: 'a', [Symbol('k')]: 1 }), ['TypeError'], 'Symbol'],
  'a function': [(c) => c.tenants.create({ first_name: () => 1 }), ['TypeError'], 'function'],
  'a Buffer': [(c) => c.tenants.create({ first_name: Buffer.from('abc') }), ['TypeError'], 'Buffer'],
  'a Uint8Array in an object field': [(c) => c.tenants.create({ first_name: 'a', x: { y: new Uint8Array(3) } }), ['TypeError'], 'Uint8Array'],
  'an invalid Date': [(c) => c.tenants.create({ first_name: 'a', birth_date: new Date(NaN) }), ['RangeError'], 'body.birth_date: a Date that is invalid'],
  'a Date past the year 9999': [(c) => c.tenants.list({ filters: { created_at__lt: new Date(8.64e15) } }), ['RangeError'], 'years 0000 to 9999'],
  'a hole in an array': [(c) => c.tenants.list({ filters: { first_name__in: ['a', , 'b'] } }), ['TypeError'], '[1]'], // eslint-disable-line no-sparse-arrays
  'a lone surrogate in a body': [(c) => c.tenants.create({ first_name: 'a\ud800' }), ['RangeError'], 'lone surrogate'],
  'a lone surrogate in a key': [(c) => c.tenants.create({ first_name: 'a' }, { extraBody: { '\udfff': 1 } }), ['RangeError'], 'lone surrogate'],
  'a lone surrogate in a filter': [(c) => c.tenants.list({ filters: { first_name__in: ['ok', '\ud800'] } }), ['RangeError'], 'first_name__in[1]'],
  'a lone surrogate in a search': [(c) => c.tenants.list({ search: '\ud800' }), ['RangeError'], 'search'],
  'a lone surrogate in a sort key': [(c) => c.tenants.list({ orderBy: ['first_name', '\udc00'] }), ['RangeError'], 'orderBy[1]'],
  'a lone surrogate in a credential': [() => new pigello.Client({ ...CREDENTIALS, clientSecret: `${SECRET}\ud800` }), ['RangeError'], 'clientSecret'],
  'a credential that is not ASCII': [(c, id, url) => new pigello.Client({ ...CREDENTIALS, clientSecret: `${SECRET}é`, baseUrl: url }), ['PigelloError'], 'clientSecret'],
  'a credential with a NUL': [() => new pigello.Client({ ...CREDENTIALS, clientSecret: `${SECRET}\0` }), ['PigelloError'], 'clientSecret'],
  'a credential of the wrong type': [() => new pigello.Client({ ...CREDENTIALS, clientSecret: 123 }), ['TypeError'], 'clientSecret'],
  'filters that are a number': [(c) => c.tenants.list({ filters: 5 }), ['TypeError'], 'filters'],
  'filters that are a 10 MB string': [(c) => c.tenants.list({ filters: 'a'.repeat(1e7) }), ['TypeError'], 'filters'],
  'a string of 10 MB': [(c) => c.tenants.create({ first_name: 'a'.repeat(1e7) }), ['ValidationError'], 'at most 255'],
  'a million filter values': [(c) => c.tenants.list({ filters: { first_name__in: bigList() } }), ['PigelloError'], 'nothing was sent'],
  'a million bad bulk items': [(c) => c.tenants.bulkWrite(new Array(1e6).fill(5)), ['ValidationError'], 'and 999990 more'],
  'a bulk item whose id is a number': [(c) => c.tenants.bulkWrite([{ id: 5, first_name: 'x' }]), ['ValidationError'], '[0].id'],
  'a bulk item whose id is not a uuid': [(c) => c.tenants.bulkWrite([{ id: 'not-a-uuid', first_name: 'x' }]), ['ValidationError'], '[0].id'],
  'a negative maxRetries': [(c, id, url) => new pigello.Client({ ...CREDENTIALS, baseUrl: url, maxRetries: -1 }), ['TypeError'], 'maxRetries'],
  'a fractional maxRetries': [(c, id, url) => new pigello.Client({ ...CREDENTIALS, baseUrl: url, maxRetries: 1.5 }), ['TypeError'], 'maxRetries'],
  'maxRetries past 32 bits': [(c, id, url) => new pigello.Client({ ...CREDENTIALS, baseUrl: url, maxRetries: 2 ** 40 }), ['TypeError'], 'maxRetries'],
  'a NaN timeout': [(c, id, url) => new pigello.Client({ ...CREDENTIALS, baseUrl: url, timeout: NaN }), ['TypeError'], 'timeout'],
  'a negative timeout': [(c, id, url) => new pigello.Client({ ...CREDENTIALS, baseUrl: url, timeout: -1 }), ['TypeError'], 'timeout'],
  'a negative page': [(c) => c.tenants.list({ page: -1 }), ['TypeError'], 'page'],
  'a fractional page size': [(c) => c.tenants.list({ pageSize: 1.5 }), ['TypeError'], 'pageSize'],
  'a NaN page size': [(c) => c.tenants.list({ pageSize: NaN }), ['TypeError'], 'pageSize'],
  'a page of 0': [(c) => c.tenants.list({ page: 0 }), ['ValidationError'], 'page'],
  'an id that is a number': [(c) => c.tenants.get(5), ['TypeError'], 'id'],
  'a base URL with a NUL': [() => new pigello.Client({ ...CREDENTIALS, baseUrl: 'http://127.0.0.1\0:9' }), ['PigelloError'], 'base URL'],
  'a base URL with an unclosed bracket': [() => new pigello.Client({ ...CREDENTIALS, baseUrl: 'http://[::1' }), ['PigelloError'], 'base URL'],
  'a sandbox of -1 tenants': [() => pigello.Sandbox.start({ tenants: -1 }), ['TypeError'], 'tenants'],
  'a sandbox of 4 294 967 295 tenants': [() => pigello.Sandbox.start({ tenants: 0xffffffff }), ['PigelloError'], 'at most'],
  'a sandbox on port 70000': [() => pigello.Sandbox.start({ port: 70000 }), ['TypeError'], 'port'],
  'a fault rule nested 10 000 deep': [() => pigello.Sandbox.start({ tenants: 0 }).then((sb) => sb.injectFault({ kind: 'drop', x: nested(10_000) })), ['RangeError'], 'rule.x'],
  'an invalid personal number': [(c) => c.tenants.create({ first_name: 'x', ssn: PERSONAL_NUMBER }), ['ValidationError'], 'ssn'],
};

async function main([name, url, id]) {
  const client = new pigello.Client({ ...CREDENTIALS, baseUrl: url, maxRetries: 0 });
  const [work] = CASES[name];
  let outcome;
  try {
    await work(client, id, url);
    outcome = { kind: 'ok' };
  } catch (e) {
    outcome = { kind: e?.constructor?.name, code: e?.code ?? null, message: String(e?.message), stack: String(e?.stack) };
  }
  process.stdout.write(JSON.stringify(outcome));
}

if (require.main === module) {
  main(process.argv.slice(2)).then(() => process.exit(0));
}

module.exports = { CASES, CREDENTIALS, SECRET, PERSONAL_NUMBER };
