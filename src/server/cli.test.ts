import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from './cli';

const lines: string[] = [];
const errors: string[] = [];
const io = { stdout: (line: string) => lines.push(line), stderr: (line: string) => errors.push(line) };

afterEach(() => {
  lines.length = 0;
  errors.length = 0;
  process.exitCode = undefined;
});

describe('objectdrop CLI', () => {
  it('--help lists every flag', async () => {
    await runCli(['--help'], io);
    const help = lines.join('\n');
    for (const flag of [
      '--port',
      '--host',
      '--dir',
      '--secret',
      '--cors-origin',
      '--base-url',
      '--admin',
      '--durable',
      '--max-object-size',
      '--max-request-bytes',
      '--requests-per-minute',
      '--presigns-per-second',
      '--latency-ms',
      '--drop-upload-after-bytes',
      '--drop-download-after-bytes',
      '--download-bytes-per-second',
      '--drop-count',
      '--error-rate',
      '--rate-limit-rate',
      '--retry-after-seconds',
      '--url-ttl-seconds',
      '--corrupt-download',
      '--ignore-range',
      '--cacheable-downloads',
    ])
      expect(help).toContain(flag);
  });

  it.each([
    [['serve', '--bogus']],
    [['serve', '--port', 'x']],
    [['serve', '--error-rate', '2']],
    [['launch']],
  ])('refuses %j with exit code 2', async (argv) => {
    await runCli(argv, io);
    expect(process.exitCode).toBe(2);
    expect(errors.join('\n')).toMatch(/objectdrop: /);
  });

  it('says so when the port is taken', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const dir = await mkdtemp(join(tmpdir(), 'objectdrop-cli-'));
    try {
      const port = (taken.address() as { port: number }).port;
      await runCli(['serve', '--port', String(port), '--dir', dir], io);
      expect(process.exitCode).toBe(1);
      expect(errors.join('\n')).toContain('EADDRINUSE');
    } finally {
      taken.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('serve prints its base URL and serves the API with the given faults and CORS origins', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'objectdrop-cli-'));
    const signals = process.listenerCount('SIGINT');
    try {
      await runCli(
        [
          'serve',
          '--port',
          '0',
          '--dir',
          dir,
          '--cors-origin',
          'http://a.test,http://b.test',
          '--admin',
          '--error-rate',
          '1',
        ],
        io,
      );
      const url = /objectdrop store listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(lines[0] ?? '')?.[1];
      expect(url).toBeDefined();
      const faults = await (await fetch(`${url}/_admin/faults`)).json();
      expect(faults).toEqual({ errorRate: 1 });
      const api = await fetch(`${url}/api/v1/metadata`, {
        method: 'POST',
        headers: { origin: 'http://b.test' },
        body: '{"key":"k"}',
      });
      expect(api.status).toBe(503);
      expect(api.headers.get('access-control-allow-origin')).toBe('http://b.test');
    } finally {
      // The CLI stops on SIGINT; call its handler without exiting the test process.
      const stop = process.listeners('SIGINT').at(-1);
      expect(process.listenerCount('SIGINT')).toBe(signals + 1);
      const exit = process.exit;
      await new Promise<void>((resolve) => {
        process.exit = (() => resolve()) as typeof process.exit;
        (stop as () => void)();
      });
      process.exit = exit;
      await rm(dir, { recursive: true, force: true });
    }
  });
});
