// Diagnostic, loaded into the store process by bench/upload-cpu.ts (BENCH_STORE_IMPORT): counts the
// requests the store receives by method and path, printed and reset on SIGUSR2.
import http from 'node:http';

const counts = new Map<string, number>();
const emit = http.Server.prototype.emit;
http.Server.prototype.emit = function (this: http.Server, event: string, ...args: unknown[]) {
  if (event === 'request') {
    const req = args[0] as http.IncomingMessage;
    const path = (req.url ?? '').split('?')[0]!.replace(/^\/objects\/.*/, '/objects/…');
    const key = `${req.method} ${path}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return Reflect.apply(emit, this, [event, ...args]) as boolean;
} as typeof emit;
process.on('SIGUSR2', () => {
  process.stderr.write(`store requests: ${JSON.stringify(Object.fromEntries(counts))}\n`);
  counts.clear();
});
