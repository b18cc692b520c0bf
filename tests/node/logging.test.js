'use strict';
// Logging: each client's calls go to its own `logger` at its own `logLevel`
// (or to `console` at `PIGELLO_LOG`), and no line ever holds a credential or
// personal data, whatever the level.

const test = require('node:test');
const assert = require('node:assert/strict');
const { spawnSync } = require('node:child_process');
const pigello = require('pigello');
const { withSandbox } = require('./support.js');

const SSN = '19811218-9876';
const EMAIL = 'anna.marker@example.se';
const PHONE = '+46701234567';
const SECRET = 'sandbox-secret'; // the sandbox's client secret
const MARKERS = [SSN, EMAIL, PHONE, SECRET, '19811218'];
const LEVELS = ['off', 'error', 'warn', 'info', 'debug'];

/** A logger that keeps its lines as `[level, line]`. */
function keeper() {
  const lines = [];
  const logger = Object.fromEntries(
    ['error', 'warn', 'info', 'debug'].map((level) => [level, (line) => lines.push([level, line])]),
  );
  return { logger, lines };
}

/** Waits until `lines` holds a line matching `wanted` (lines arrive from the
 * addon's threads, after the call's promise may have settled). */
async function arrived(lines, wanted) {
  const deadline = Date.now() + 30_000; // a hang guard, not a time limit
  while (!lines.some(([, line]) => wanted(line))) {
    assert.ok(Date.now() < deadline, `no such line came: ${JSON.stringify(lines)}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Calls that carry personal data every way a call can: filters, search, a
 * body, extra body fields, headers, an error the server answers, a retry and
 * a bulk write. */
async function calls(sb, client) {
  await client.tenants.list({ filters: { ssn: SSN }, search: EMAIL, orderBy: '-birth_date' });
  const created = await client.tenants.create(
    { first_name: 'Anna', ssn: SSN, invoice_email: EMAIL },
    { headers: { 'X-Contact': EMAIL } },
  );
  await client.tenants.update(created.id, {}, { extraBody: { phone_number: PHONE } });
  await assert.rejects(client.tenants.get('497f6eca-6276-4993-bfeb-53cbbbba6f08'), pigello.NotFoundError);
  sb.injectFault({ kind: 'status', method: 'GET', status: 503, count: 1 });
  await client.tenants.list({ filters: { invoice_email: EMAIL } });
  await client.tenants.bulkWrite([{ id: created.id, last_name: 'Ek' }]);
}

/** Runs `calls` on a client at each level, then one call on a client at
 * `debug`: lines reach JavaScript in the order they were made, so once its
 * line is in, every line of the calls before it is too. */
async function linesAtEachLevel(sb) {
  const kept = {};
  for (const level of LEVELS) {
    const { logger, lines } = keeper();
    kept[level] = lines;
    await calls(sb, sb.client({ logLevel: level, logger, maxRetries: 1 }));
  }
  const last = keeper();
  await sb.client({ logLevel: 'debug', logger: last.logger }).tenants.list({ pageSize: 1 });
  await arrived(last.lines, (line) => line.startsWith('answered'));
  return kept;
}

test('each level logs what it says and never a credential or personal value', () =>
  withSandbox({}, async (sb) => {
    const kept = await linesAtEachLevel(sb);
    assert.deepEqual([kept.off, kept.error, kept.warn], [[], [], []]);

    const info = kept.info.map(([, line]) => line);
    assert.ok(kept.info.every(([level]) => level === 'info'), JSON.stringify(kept.info));
    assert.ok(info.some((line) => line.startsWith('answered method=GET path=/accounts/users/customer/tenant/list/')
      && /attempt=1 status=200 elapsed_ms=\d+ request_id=req_/.test(line)), info.join('\n'));
    assert.ok(info.some((line) => line.includes('query=ssn=<redacted>&') && line.includes('_search=<redacted>')));
    assert.ok(info.some((line) => line.startsWith('answered with an error status') && line.includes('status=404')));
    assert.ok(info.some((line) => line.startsWith('retrying') && /wait_ms=\d+/.test(line)));

    const debug = kept.debug.filter(([level]) => level === 'debug').map(([, line]) => line);
    assert.ok(debug.some((line) => line.startsWith('bulk chunk written resource=Tenant start=0 end=1')), debug.join('\n'));
    assert.equal(kept.debug.length - debug.length, kept.info.length);

    for (const [, line] of Object.values(kept).flat()) {
      for (const marker of MARKERS) assert.ok(!line.includes(marker), line);
    }
  }));

test('each client logs to its own logger, and a derived client to its parent\'s', () =>
  withSandbox({}, async (sb) => {
    const a = keeper();
    const b = keeper();
    const clientA = sb.client({ logLevel: 'info', logger: a.logger });
    const clientB = sb.client({ logLevel: 'info', logger: b.logger });
    const derived = clientA.withOptions({ maxRetries: 0 });
    const silenced = clientA.withOptions({ logLevel: 'off' });
    assert.deepEqual([derived.logLevel, silenced.logLevel, clientA.logLevel], ['info', 'off', 'info']);

    await silenced.tenants.list({ pageSize: 2 });
    await clientA.tenants.list({ pageSize: 3 });
    await derived.tenants.list({ pageSize: 4 });
    await clientB.tenants.list({ pageSize: 5 });
    await arrived(b.lines, (line) => line.includes('_page_size=5'));
    assert.deepEqual(
      a.lines.map(([, line]) => line.match(/_page_size=(\d+)/)[1]),
      ['3', '4'],
    );
    assert.equal(b.lines.length, 1);
  }));

test('a level that is not one, or a logger without its methods, is refused', () =>
  withSandbox({}, async (sb) => {
    assert.throws(() => sb.client({ logLevel: 'verbose' }), (error) =>
      error instanceof pigello.PigelloError
      && error.message.includes("logLevel must be one of off, error, warn, info, debug, not \"verbose\""));
    assert.throws(() => sb.client({ logger: { info() {} } }),
      /option logger must be an object with error, warn, info and debug methods/);
    assert.throws(() => sb.client().withOptions({ logLevel: 'DEBUG' }), /logLevel must be one of/);
  }));

/** What a child process running one listed call prints, with `PIGELLO_LOG`. */
function printedWith(pigelloLog) {
  const script = `
    const { Sandbox } = require('pigello');
    (async () => {
      const sb = await Sandbox.start({ tenants: 3 });
      sb.client(); // a second client: an invalid PIGELLO_LOG is said once
      await sb.client().tenants.list({ filters: { ssn: ${JSON.stringify(SSN)} }, search: ${JSON.stringify(EMAIL)} });
      await new Promise((resolve) => setTimeout(resolve, 200)); // lets the line arrive before exiting
      await sb.stop();
    })();`;
  const env = { ...process.env, PIGELLO_LOG: pigelloLog };
  const done = spawnSync(process.execPath, ['-e', script], { env, encoding: 'utf8', cwd: __dirname });
  assert.equal(done.status, 0, done.stderr);
  return done.stdout + done.stderr;
}

test('PIGELLO_LOG sets the level of clients that do not choose one', () => {
  for (const level of ['info', 'debug']) {
    const printed = printedWith(level);
    assert.match(printed, /pigello: answered method=GET path=\/accounts\/users\/customer\/tenant\/list\//);
    for (const marker of MARKERS) assert.ok(!printed.includes(marker), printed);
  }
  assert.equal(printedWith(''), '');
  assert.equal(printedWith('warn'), '');
  assert.equal(
    printedWith('loud').trim(),
    'pigello: configuration: PIGELLO_LOG must be one of off, error, warn, info, debug, not "loud"; logging at \'warn\'',
  );
});

test('a logger that throws is said once, as a process warning, and calls go on', () =>
  withSandbox({}, async (sb) => {
    const warnings = [];
    const onWarning = (warning) => warnings.push(warning);
    process.on('warning', onWarning);
    try {
      const thrown = { error() {}, warn() {}, info() { throw new Error('disk full'); }, debug() {} };
      const client = sb.client({ logLevel: 'info', logger: thrown });
      for (let i = 0; i < 3; i += 1) assert.equal((await client.tenants.list({ pageSize: 1 })).data.length, 1);
      const last = keeper();
      await sb.client({ logLevel: 'info', logger: last.logger }).tenants.list({ pageSize: 1 });
      await arrived(last.lines, (line) => line.startsWith('answered'));
      const deadline = Date.now() + 30_000; // a hang guard: warnings are emitted on the next tick
      while (warnings.length === 0) {
        assert.ok(Date.now() < deadline, 'no warning came');
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      assert.deepEqual(
        warnings.map((w) => [w.name, w.message]),
        [['PigelloLoggerWarning', 'the logger threw, and its lines are lost: disk full']],
      );
    } finally {
      process.off('warning', onWarning);
    }
  }));
