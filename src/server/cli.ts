import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { checkFaultPatch, type FaultSettings } from './faults';
import type { StoreLimits } from './limits';
import { startLocalObjectStore } from './start';

const HELP = `Usage: objectdrop serve [options]

Serves the local object store: the Object Store HTTP contract, data on disk.

Options:
  --port <n>                       TCP port, 0 for any free one (default 8787)
  --host <addr>                    interface to listen on (default 127.0.0.1)
  --dir <path>                     data folder (default .objectdrop)
  --secret <s>                     HMAC key of pre-signed URLs (default: random per start)
  --cors-origin <origin>           allowed page origin; repeatable or comma-separated; '*' for any
                                   (default http://127.0.0.1:5173, http://localhost:5173)
  --base-url <url>                 public URL when behind a proxy (default http://<host>:<port>)
  --admin                          serve GET/POST /_admin/faults and POST /_admin/reset
  --durable                        flush every upload to the device before answering (slower)

Limits (defaults are the Object Store's):
  --max-object-size <bytes>        largest object (default 1073741824)
  --max-request-bytes <bytes>      largest API request body (default 1024)
  --requests-per-minute <n>        API requests per installation per minute (default 5000)
  --presigns-per-second <n>        pre-signed URLs per installation per second (default 1000)

Fault injection (all off by default):
  --latency-ms <ms>                delay every API and data request
  --drop-upload-after-bytes <n>    cut PUT connections after n bytes received
  --drop-download-after-bytes <n>  cut GET connections after n bytes sent
  --download-bytes-per-second <n>  send each GET body at most n bytes per second (per connection)
  --drop-count <n>                 requests the drops hit before switching off (default unlimited)
  --error-rate <0..1>              fraction of requests answered 503
  --rate-limit-rate <0..1>         fraction of requests answered 429 TOO_MANY_REQUESTS
  --retry-after-seconds <s>        Retry-After of injected 429s (default 1)
  --url-ttl-seconds <s>            new pre-signed URLs expire after s seconds (default 3600)
  --corrupt-download               flip one byte in every GET body
  --ignore-range                   answer every GET with the whole object (200), ignoring Range
  --cacheable-downloads            answer GETs with Cache-Control: private, no-cache (not no-store)

  -h, --help                       show this help
`;

const FAULT_FLAGS = {
  'latency-ms': 'latencyMs',
  'drop-upload-after-bytes': 'dropUploadAfterBytes',
  'drop-download-after-bytes': 'dropDownloadAfterBytes',
  'download-bytes-per-second': 'downloadBytesPerSecond',
  'drop-count': 'dropCount',
  'error-rate': 'errorRate',
  'rate-limit-rate': 'rateLimitRate',
  'retry-after-seconds': 'retryAfterSeconds',
  'url-ttl-seconds': 'urlTtlSeconds',
} as const satisfies Record<string, keyof FaultSettings>;

const LIMIT_FLAGS = {
  'max-object-size': 'maxObjectSize',
  'max-request-bytes': 'maxRequestBytes',
  'requests-per-minute': 'requestsPerMinute',
  'presigns-per-second': 'presignsPerSecond',
} as const satisfies Record<string, keyof StoreLimits>;

export interface CliIo {
  stdout: (line: string) => void;
  stderr: (line: string) => void;
}

const processIo: CliIo = {
  stdout: (line) => process.stdout.write(`${line}\n`),
  stderr: (line) => process.stderr.write(`${line}\n`),
};

class UsageError extends Error {}

function number(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (value.trim() === '' || !Number.isFinite(parsed) || parsed < 0)
    throw new UsageError(`--${flag} must be a non-negative number, got ${JSON.stringify(value)}.`);
  return parsed;
}

/**
 * `objectdrop serve …`: the package's `bin`. Resolves once the store listens; it then runs until
 * SIGINT/SIGTERM. Usage errors are printed and set `process.exitCode = 2`.
 */
export async function runCli(argv: string[], io: CliIo = processIo): Promise<void> {
  const stringFlag = { type: 'string' } as const;
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        help: { type: 'boolean', short: 'h' },
        port: stringFlag,
        host: stringFlag,
        dir: stringFlag,
        secret: stringFlag,
        'cors-origin': { type: 'string', multiple: true },
        'base-url': stringFlag,
        admin: { type: 'boolean' },
        durable: { type: 'boolean' },
        'corrupt-download': { type: 'boolean' },
        'ignore-range': { type: 'boolean' },
        'cacheable-downloads': { type: 'boolean' },
        ...Object.fromEntries(
          Object.keys({ ...FAULT_FLAGS, ...LIMIT_FLAGS }).map((flag) => [flag, stringFlag]),
        ),
      },
    });
    if (values.help || positionals.length === 0) {
      io.stdout(HELP);
      return;
    }
    if (positionals[0] !== 'serve' || positionals.length > 1)
      throw new UsageError(
        `Unknown command ${JSON.stringify(positionals.join(' '))}; try "objectdrop serve".`,
      );
    const flags = values as Record<string, string | string[] | boolean | undefined>;
    const faults: Record<string, unknown> = {};
    for (const [flag, field] of Object.entries(FAULT_FLAGS)) {
      const value = number(flag, flags[flag] as string | undefined);
      if (value !== undefined) faults[field] = value;
    }
    if (values['corrupt-download']) faults.corruptDownload = true;
    if (values['ignore-range']) faults.ignoreRange = true;
    if (values['cacheable-downloads']) faults.cacheableDownloads = true;
    try {
      checkFaultPatch(faults);
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    const limits: Partial<StoreLimits> = {};
    for (const [flag, field] of Object.entries(LIMIT_FLAGS)) {
      const value = number(flag, flags[flag] as string | undefined);
      if (value !== undefined) limits[field] = value;
    }
    const port = number('port', values.port);
    if (port !== undefined && (!Number.isInteger(port) || port > 65535))
      throw new UsageError('--port must be an integer from 0 to 65535.');
    const corsOrigins = values['cors-origin']
      ?.flatMap((origin) => origin.split(','))
      .map((origin) => origin.trim())
      .filter(Boolean);
    const dir = resolve(values.dir ?? '.objectdrop');
    const running = await startLocalObjectStore({
      port: port ?? 8787,
      host: values.host ?? '127.0.0.1',
      dir,
      ...(values.secret ? { secret: values.secret } : {}),
      ...(values['base-url'] ? { baseUrl: values['base-url'] } : {}),
      ...(corsOrigins?.length ? { corsOrigins } : {}),
      admin: values.admin === true,
      durable: values.durable === true,
      limits,
      faults: faults as FaultSettings,
    });
    io.stdout(`objectdrop store listening on ${running.url}`);
    io.stdout(`  data in ${dir}${values.admin ? `; fault admin at ${running.url}/_admin/faults` : ''}`);
    if (Object.keys(faults).length) io.stdout(`  faults: ${JSON.stringify(faults)}`);
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      running.close().then(() => process.exit(0));
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL') {
      io.stderr(`objectdrop: cannot listen there (${code}). Try another --port or --host.`);
      process.exitCode = 1;
      return;
    }
    if (!(error instanceof UsageError) && code?.startsWith('ERR_PARSE_ARGS') !== true) throw error;
    io.stderr(`objectdrop: ${(error as Error).message}\nRun "objectdrop --help" for the options.`);
    process.exitCode = 2;
  }
}
