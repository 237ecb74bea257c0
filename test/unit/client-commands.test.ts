/**
 * CLIENT LIST / INFO / KILL / PAUSE / UNPAUSE / REPLY / NO-EVICT / UNBLOCK and
 * MONITOR against redis-server 7.0 (same commands on both, values that must
 * differ normalised: ids, ports, fds, times, buffer sizes), and
 * `redis-cli --stat` / `--latency` against shardis. 1 and 4 shards where
 * shards matter (UNBLOCK, MONITOR).
 */
import { spawn } from 'node:child_process';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RawClient } from '../helpers/raw-client.js';
import { requireRedisServer, startRedis, startShardis, type RunningServer } from '../helpers/server.js';

const text = (b: Buffer) => b.toString('latin1');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A CLIENT LIST / INFO line with the values that differ between servers replaced by their field name. */
const VARYING = new Set(['id', 'addr', 'laddr', 'fd', 'age', 'idle', 'qbuf', 'qbuf-free', 'argv-mem', 'rbs', 'rbp', 'obl', 'oll', 'omem', 'tot-mem']);
function normLine(line: string): string {
  return line
    .split(' ')
    .map((f) => {
      const k = f.slice(0, f.indexOf('='));
      return VARYING.has(k) ? `${k}=*` : f;
    })
    .join(' ');
}
/** The body of a verbatim / bulk reply. */
function body(reply: Buffer): string {
  const s = text(reply);
  const b = s.slice(s.indexOf('\r\n') + 2, -2);
  return b.startsWith('txt:') ? b.slice(4) : b;
}
const lines = (reply: Buffer) => body(reply).split('\n').filter(Boolean);

describe.skipIf(!requireRedisServer())('CLIENT and MONITOR against redis-server', () => {
  let ours1: RunningServer;
  let ours4: RunningServer;
  let theirs: RunningServer;
  const open: RawClient[] = [];
  const connect = async (port: number) => {
    const c = await RawClient.connect(port);
    open.push(c);
    return c;
  };

  beforeAll(async () => {
    [ours1, ours4, theirs] = await Promise.all([startShardis({ shards: 1 }), startShardis({ shards: 4 }), startRedis()]);
  });
  afterAll(async () => {
    for (const c of open) c.close();
    await Promise.all([ours1?.stop(), ours4?.stop(), theirs?.stop()]);
  });

  /** Runs `scenario` on shardis (1 shard) and redis-server and returns both results. */
  async function both<T>(scenario: (port: number) => Promise<T>, ours = () => ours1): Promise<[T, T]> {
    return [await scenario(ours().port), await scenario(theirs.port)];
  }

  it('CLIENT INFO and CLIENT LIST have Redis 7.0 fields, order and formats (MULTI, MONITOR, names, RESP3)', async () => {
    const [a, b] = await both(async (port) => {
      const c = await connect(port);
      const out: string[] = [];
      out.push(normLine(lines(await c.call('CLIENT', 'INFO'))[0]));
      await c.call('CLIENT', 'SETNAME', 'probe');
      await c.call('SELECT', '2');
      await c.call('MULTI');
      await c.call('SET', 'a', '1');
      await c.call('GET', 'a');
      const watcher = await connect(port);
      const me = text(await c.call('CLIENT', 'ID')); // queued
      out.push(text(me));
      const listed = lines(await watcher.call('CLIENT', 'LIST')).map(normLine);
      out.push(...listed.filter((l) => l.includes('name=probe')));
      await c.call('EXEC');
      await c.call('HELLO', '3');
      out.push(normLine(lines(await c.call('CLIENT', 'INFO'))[0]));
      const m = await connect(port);
      await m.call('MONITOR');
      out.push(...lines(await watcher.call('CLIENT', 'LIST')).map(normLine).filter((l) => l.includes('cmd=monitor')));
      out.push(normLine(lines(await watcher.call('CLIENT', 'LIST', 'TYPE', 'normal')).filter((l) => l.includes('cmd=monitor'))[0] ?? 'none'));
      out.push(body(await watcher.call('CLIENT', 'LIST', 'TYPE', 'pubsub')));
      out.push(body(await watcher.call('CLIENT', 'LIST', 'TYPE', 'replica')));
      out.push(body(await watcher.call('CLIENT', 'LIST', 'TYPE', 'master')));
      out.push(text(await watcher.call('CLIENT', 'LIST', 'TYPE', 'nope')));
      out.push(text(await watcher.call('CLIENT', 'LIST', 'ID', 'x')));
      out.push(text(await watcher.call('CLIENT', 'LIST', 'foo')));
      out.push(body(await watcher.call('CLIENT', 'LIST', 'ID', '999999')));
      for (const x of [c, watcher, m]) x.close();
      return out;
    });
    expect(a).toEqual(b);
    // The field set itself, in Redis' order.
    expect(a[0].split(' ').map((f) => f.split('=')[0])).toEqual(
      'id addr laddr fd name age idle flags db sub psub ssub multi qbuf qbuf-free argv-mem multi-mem rbs rbp obl oll omem tot-mem events cmd user redir resp'.split(' '),
    );
    expect(a[2]).toContain('flags=x db=2');
    expect(a[2]).toContain('multi=3');
  });

  it('CLIENT LIST shows a blocked client with flag b and cmd blpop', async () => {
    const [a, b] = await both(async (port) => {
      const c = await connect(port);
      const w = await connect(port);
      await c.call('CLIENT', 'SETNAME', 'blocker');
      c.writeRaw('*3\r\n$5\r\nBLPOP\r\n$4\r\nnone\r\n$1\r\n0\r\n');
      await sleep(100);
      const l = lines(await w.call('CLIENT', 'LIST')).find((x) => x.includes('name=blocker'))!;
      c.close();
      w.close();
      return normLine(l);
    });
    expect(a).toEqual(b);
    expect(a).toContain('flags=b');
  });

  it('a subscribed client: flag P, sub/psub counts, CLIENT LIST TYPE pubsub and CLIENT KILL TYPE pubsub', async () => {
    const [a, b] = await both(async (port) => {
      const s = await connect(port);
      const w = await connect(port);
      await s.call('CLIENT', 'SETNAME', 'sub');
      await s.call('SUBSCRIBE', 'c1', 'c2');
      await s.call('PSUBSCRIBE', 'p*');
      const out = [
        ...lines(await w.call('CLIENT', 'LIST', 'TYPE', 'pubsub')).map(normLine),
        String(lines(await w.call('CLIENT', 'LIST', 'TYPE', 'normal')).some((l) => l.includes('name=sub'))),
        text(await w.call('CLIENT', 'KILL', 'TYPE', 'pubsub')),
      ];
      await s.waitClosed();
      w.close();
      return out;
    });
    expect(a).toEqual(b);
    expect(a[0]).toContain('flags=P db=0 sub=2 psub=1');
  });

  it('redis-cli monitor prints the lines of other clients\' commands', async () => {
    const proc = spawn('stdbuf', ['-o0', 'redis-cli', '-h', '127.0.0.1', '-p', String(ours4.port), 'monitor']);
    let out = '';
    proc.stdout.on('data', (d) => (out += d.toString('latin1')));
    while (!out.includes('OK')) await sleep(10);
    const c = await connect(ours4.port);
    await c.pipeline([['SET', 'mk', 'a b'], ['SELECT', '5'], ['LPUSH', 'l', 'x\ny']]);
    const deadline = Date.now() + 3000;
    while (!out.includes('LPUSH') && Date.now() < deadline) await sleep(10);
    proc.kill('SIGINT');
    const got = out.split('\n').filter((l) => /^\d+\.\d{6} \[/.test(l)).map((l) => l.replace(/^\d+\.\d{6} /, '').replace(/:\d+\]/, ':P]'));
    expect(got).toEqual(['[0 127.0.0.1:P] "SET" "mk" "a b"', '[5 127.0.0.1:P] "SELECT" "5"', '[5 127.0.0.1:P] "LPUSH" "l" "x\\ny"']);
  });

  it('CLIENT KILL: old form, filters and their counts, errors, killing oneself', async () => {
    const [a, b] = await both(async (port) => {
      const out: string[] = [];
      const me = await connect(port);
      const others = await Promise.all([1, 2, 3].map(() => connect(port)));
      for (const o of others) await o.call('PING');
      const addrOf = async (c: RawClient) => /addr=(\S+)/.exec(body(await c.call('CLIENT', 'INFO')))![1];
      const laddr = /laddr=(\S+)/.exec(body(await me.call('CLIENT', 'INFO')))![1];
      // Errors, in Redis' order of checks.
      for (const args of [
        ['KILL', '1.2.3.4:5'],
        ['KILL', 'ID', '0'],
        ['KILL', 'ID', 'x'],
        ['KILL', 'TYPE', 'foo'],
        ['KILL', 'USER', 'bob'],
        ['KILL', 'SKIPME', 'maybe'],
        ['KILL', 'ID', '5', 'foo'],
        ['KILL', 'ID', '99999'],
        ['KILL', 'TYPE', 'master'],
        ['KILL', 'TYPE', 'pubsub'],
      ]) {
        out.push(text(await me.call('CLIENT', ...args)));
      }
      // Old form: +OK, and the client is gone.
      out.push(text(await me.call('CLIENT', 'KILL', await addrOf(others[0]))));
      await others[0].waitClosed();
      // By id.
      const id1 = text(await others[1].call('CLIENT', 'ID')).slice(1, -2);
      out.push(text(await me.call('CLIENT', 'KILL', 'ID', id1, 'TYPE', 'normal')));
      await others[1].waitClosed();
      // By local address, skipping the caller (default), then USER default SKIPME no: the caller too.
      out.push(text(await me.call('CLIENT', 'KILL', 'LADDR', laddr, 'SKIPME', 'yes')));
      await others[2].waitClosed();
      out.push(text(await me.call('CLIENT', 'KILL', 'ADDR', await addrOf(me), 'USER', 'default', 'SKIPME', 'no')));
      await me.waitClosed();
      return out;
    });
    expect(a).toEqual(b);
    expect(a.slice(-4)).toEqual(['+OK\r\n', ':1\r\n', ':1\r\n', ':1\r\n']);
  });

  it('CLIENT REPLY OFF / SKIP / ON drop the replies Redis drops (errors included)', async () => {
    const script =
      'CLIENT REPLY OFF\r\nSET x 1\r\nGET x\r\nNOPE\r\nCLIENT REPLY ON\r\nCLIENT REPLY SKIP\r\nGET x\r\nNOPE\r\nPING\r\n' +
      'CLIENT REPLY SKIP\r\nCLIENT REPLY OFF\r\nPING\r\nCLIENT REPLY SKIP\r\nCLIENT REPLY ON\r\nMGET x y z\r\nCLIENT REPLY SKIP\r\nMGET x y z\r\nCLIENT REPLY foo\r\nECHO end\r\n';
    for (const ours of [() => ours1, () => ours4]) {
      const [a, b] = await both(async (port) => {
        const c = await connect(port);
        c.writeRaw(script);
        const got = await c.read(7);
        c.close();
        return got.map(text);
      }, ours);
      expect(a).toEqual(b);
      expect(a[0]).toBe('+OK\r\n');
      expect(a[6]).toBe('$3\r\nend\r\n');
    }
  });

  it('CLIENT PAUSE/UNPAUSE/NO-EVICT/UNBLOCK/HELP errors and replies are Redis\'', async () => {
    const [a, b] = await both(async (port) => {
      const c = await connect(port);
      const out: string[] = [];
      for (const args of [
        ['PAUSE', '10', 'foo'],
        ['PAUSE', 'x'],
        ['PAUSE', '-1'],
        ['PAUSE', '1', '2', '3'],
        ['PAUSE', '0'],
        ['UNPAUSE'],
        ['NO-EVICT', 'maybe'],
        ['NO-EVICT', 'on'],
        ['INFO'],
        ['NO-EVICT', 'off'],
        ['UNBLOCK', 'x'],
        ['UNBLOCK', '1', 'foo'],
        ['UNBLOCK', '1', 'timeout', 'x'],
        ['UNBLOCK', '99999'],
        ['REPLY', 'foo'],
      ]) {
        const r = text(await c.call('CLIENT', ...args));
        out.push(args[0] === 'INFO' ? normLine(body(Buffer.from(r, 'latin1'))) : r);
      }
      const help = text(await c.call('CLIENT', 'HELP'));
      out.push(help.includes('UNBLOCK <clientid> [TIMEOUT|ERROR]') && help.includes('NO-EVICT (ON|OFF)') ? 'help ok' : help);
      c.close();
      return out;
    });
    expect(a).toEqual(b);
    expect(a[8]).toContain('flags=e');
  });

  it('CLIENT PAUSE WRITE holds writes (and what follows them on the connection) but not reads; UNPAUSE releases them', async () => {
    const admin = await connect(ours1.port);
    const reader = await connect(ours1.port);
    const writer = await connect(ours1.port);
    expect(text(await admin.call('CLIENT', 'PAUSE', '600', 'WRITE'))).toBe('+OK\r\n');
    const t0 = Date.now();
    expect(text(await reader.call('GET', 'k'))).toBe('$-1\r\n');
    expect(Date.now() - t0).toBeLessThan(300);
    // The write and the read pipelined after it wait for the end of the pause.
    const held = writer.pipeline([['SET', 'k', 'v'], ['GET', 'k']]);
    await sleep(100);
    expect(text(await reader.call('GET', 'k'))).toBe('$-1\r\n');
    const listed = lines(await admin.call('CLIENT', 'LIST')).find((l) => l.includes('cmd=set'));
    expect(listed).toContain('flags=b');
    expect(body(await admin.call('INFO', 'clients'))).toMatch(/blocked_clients:1/);
    const replies = await held;
    expect(replies.map(text)).toEqual(['+OK\r\n', '$1\r\nv\r\n']);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(550);
    // PAUSE ALL holds everything, PING included; UNPAUSE from a client... is itself held, so end it by timeout here,
    // and check UNPAUSE ends a WRITE pause early.
    await admin.call('CLIENT', 'PAUSE', '300', 'ALL');
    const t1 = Date.now();
    expect(text(await reader.call('PING'))).toBe('+PONG\r\n');
    expect(Date.now() - t1).toBeGreaterThanOrEqual(250);
    await admin.call('CLIENT', 'PAUSE', '10000', 'WRITE');
    const t2 = Date.now();
    const w2 = writer.call('INCR', 'n');
    await sleep(100);
    expect(text(await admin.call('CLIENT', 'UNPAUSE'))).toBe('+OK\r\n');
    expect(text(await w2)).toBe(':1\r\n');
    expect(Date.now() - t2).toBeLessThan(1000);
  });

  for (const shards of [1, 4]) {
    it(`CLIENT UNBLOCK ends a BLPOP on one shard as a timeout or an error, and held commands run after (${shards} shard(s))`, async () => {
      const server = shards === 1 ? ours1 : ours4;
      const run = async (port: number) => {
        const out: string[] = [];
        const admin = await connect(port);
        const blocked = await connect(port);
        const id = text(await blocked.call('CLIENT', 'ID')).slice(1, -2);
        const p1 = blocked.pipeline([['BLPOP', 'u1', '0'], ['PING']]);
        await sleep(80);
        out.push(text(await admin.call('CLIENT', 'UNBLOCK', id)));
        out.push(...(await p1).map(text));
        const p2 = blocked.call('BRPOP', 'u2', '0');
        await sleep(80);
        out.push(text(await admin.call('CLIENT', 'UNBLOCK', id, 'ERROR')));
        out.push(text(await p2));
        out.push(text(await admin.call('CLIENT', 'UNBLOCK', id)));
        return out;
      };
      const [a, b] = [await run(server.port), await run(theirs.port)];
      expect(a).toEqual(b);
      expect(a).toEqual([':1\r\n', '*-1\r\n', '+PONG\r\n', ':1\r\n', '-UNBLOCKED client unblocked via CLIENT UNBLOCK\r\n', ':0\r\n']);
    });
  }

  it('CLIENT UNBLOCK ends a wait on keys of several shards (4 shards)', async () => {
    const admin = await connect(ours4.port);
    const blocked = await connect(ours4.port);
    const id = text(await blocked.call('CLIENT', 'ID')).slice(1, -2);
    // Keys on different shards: slots of a, b, c, d differ modulo 4.
    const p1 = blocked.pipeline([['BLPOP', 'a', 'b', 'c', 'd', '0'], ['PING']]);
    await sleep(150);
    expect(text(await admin.call('CLIENT', 'UNBLOCK', id))).toBe(':1\r\n');
    expect((await p1).map(text)).toEqual(['*-1\r\n', '+PONG\r\n']);
    const p2 = blocked.call('BLPOP', 'a', 'b', 'c', 'd', '0');
    await sleep(150);
    expect(text(await admin.call('CLIENT', 'UNBLOCK', id, 'ERROR'))).toBe(':1\r\n');
    expect(text(await p2)).toBe('-UNBLOCKED client unblocked via CLIENT UNBLOCK\r\n');
    // Still usable: a push wakes a new wait normally.
    const p3 = blocked.call('BLPOP', 'a', 'b', 'c', 'd', '0');
    await sleep(100);
    await admin.call('RPUSH', 'c', 'x');
    expect(text(await p3)).toBe('*2\r\n$1\r\nc\r\n$1\r\nx\r\n');
    expect(text(await admin.call('CLIENT', 'UNBLOCK', id))).toBe(':0\r\n');
  });

  /** The same session on a server, watched by a monitor: everything the monitor received, times and ports normalised. */
  async function monitorSession(port: number): Promise<string[]> {
    const m = net.connect(port, '127.0.0.1');
    let got = '';
    m.on('data', (d) => (got += d.toString('latin1')));
    await new Promise((r) => m.once('connect', r));
    m.write('MONITOR\r\n');
    while (got !== '+OK\r\n') await sleep(5);
    const c = await connect(port);
    c.writeRaw(
      '*3\r\n$3\r\nset\r\n$2\r\nk\x01\r\n$5\r\na"b\\\n\r\n' +
        'SELECT 3\r\nMULTI\r\nSET a 1\r\nSELECT 4\r\nGET a\r\nEXEC\r\nAUTH foo\r\nAUTH a b\r\nAUTH a b c\r\n' +
        'HELLO 3 AUTH default x\r\nHELLO 2 AUTH a\r\nHELLO 2 AUTH a b AUTH c d\r\nHELLO 2 SETNAME n AUTH default z\r\n' +
        'CONFIG GET maxmemory\r\nCLIENT LIST\r\nCLIENT SETNAME x\r\nNOPE\r\nGET\r\nBLPOP nokey 0.01\r\nPING\r\n' +
        'MULTI\r\nGET\r\nEXEC\r\nMULTI\r\nDISCARD\r\nSELECT 0\r\nMSET a 1 b\r\nMSET a 1 b 2 c 3\r\nDEL a b c\r\n*3\r\n$3\r\nSET\r\n$3\r\n\xff\t\x00\r\n$1\r\n\x7f\r\nECHO "x y"\r\n' +
        'WATCH a\r\nUNWATCH\r\nCLIENT NO-EVICT off\r\nCLIENT REPLY ON\r\nQUIT\r\n',
    );
    await c.waitClosed();
    // The monitor's own commands: shown to itself after their reply; keyspace ones refused; MONITOR again ignored (no reply).
    m.write('PING\r\nGET a\r\nECHO hi\r\nMONITOR\r\nPING\r\nRESET\r\nPING\r\n');
    const deadline = Date.now() + 3000;
    while (!got.endsWith('+RESET\r\n+PONG\r\n') && Date.now() < deadline) await sleep(10);
    m.destroy();
    return got
      .split('\r\n')
      .filter(Boolean)
      .map((l) => l.replace(/^\+\d+\.\d{6} /, '+T ').replace(/127\.0\.0\.1:\d+/g, 'ADDR'));
  }

  for (const shards of [1, 4]) {
    it(`MONITOR shows what Redis shows, formatted and quoted as Redis does (${shards} shard(s))`, async () => {
      const ours = await monitorSession((shards === 1 ? ours1 : ours4).port);
      const theirsOut = await monitorSession(theirs.port);
      expect(ours).toEqual(theirsOut);
      expect(ours).toContain('+T [4 ADDR] "AUTH" "(redacted)" "(redacted)"');
      expect(ours).toContain('+T [0 ADDR] "SET" "\\xff\\t\\x00" "\\x7f"');
      expect(ours).toContain("-ERR Replica can't interact with the keyspace");
    });
  }
});

/** Runs redis-cli for `ms` with unbuffered output, then stops it; returns what it printed. */
function cliFor(port: number, args: string[], ms: number): Promise<string> {
  return new Promise((resolve) => {
    const proc = spawn('stdbuf', ['-o0', 'redis-cli', '-h', '127.0.0.1', '-p', String(port), ...args]);
    let out = '';
    proc.stdout.on('data', (d) => (out += d.toString()));
    proc.stderr.on('data', (d) => (out += d.toString()));
    setTimeout(() => proc.kill('SIGINT'), ms);
    proc.on('close', () => resolve(out));
  });
}

describe.skipIf(!requireRedisServer())('redis-cli --stat and --latency against shardis', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startShardis({ shards: 2 });
    const c = await RawClient.connect(server.port);
    await c.pipeline([['SET', 'a', '1'], ['SET', 'b', '2'], ['SELECT', '1'], ['SET', 'c', '3']]);
    c.close();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('--stat prints its header and a line per interval with keys, memory, clients and request deltas', async () => {
    const out = await cliFor(server.port, ['--stat', '-i', '0.4'], 1300);
    const rows = out.split('\n').filter((l) => /^\d/.test(l));
    expect(out).toContain('keys       mem      clients blocked requests            connections');
    expect(rows.length).toBeGreaterThanOrEqual(2);
    for (const row of rows) {
      const [keys, mem, clients, blocked, requests, delta] = row.trim().split(/\s+/);
      expect(keys).toBe('3');
      expect(mem).toMatch(/^\d+(\.\d+)?[KMG]?$/);
      expect(Number(clients)).toBeGreaterThanOrEqual(1);
      expect(blocked).toBe('0');
      expect(Number(requests)).toBeGreaterThan(0);
      expect(delta).toMatch(/^\(\+\d+\)$/);
    }
    // Each interval sends one INFO: the request count grows by one.
    expect(rows.slice(1).every((r) => r.includes('(+1)'))).toBe(true);
  });

  it('--latency and --latency-history print min max avg samples from PINGs', async () => {
    for (const mode of ['--latency', '--latency-history']) {
      const out = await cliFor(server.port, [mode, '-i', '0.5'], 1200);
      const samples = out.split('\n').filter((l) => /^\d+ \d+ \d+\.\d\d \d+$/.test(l.trim()));
      expect(samples.length, out).toBeGreaterThanOrEqual(mode === '--latency' ? 1 : 3);
      const [min, max, avg, count] = samples.at(-1)!.trim().split(' ').map(Number);
      expect(min).toBeLessThanOrEqual(avg);
      expect(avg).toBeLessThanOrEqual(max);
      expect(max).toBeLessThan(1000);
      expect(count).toBeGreaterThan(3);
    }
  });
});
