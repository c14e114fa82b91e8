/**
 * Resolves in a later task, not a microtask: lets the thread run the tasks that complete pending stream
 * reads. `setImmediate` where it exists (Node, jsdom), else a MessageChannel (browsers and workers), whose
 * messages are not clamped the way nested `setTimeout`s are.
 */
export function nextTask(): Promise<void> {
  if (typeof setImmediate === 'function') return new Promise((resolve) => setImmediate(resolve));
  if (typeof MessageChannel === 'undefined') return new Promise((resolve) => setTimeout(resolve, 0));
  channel ??= openChannel();
  return new Promise((resolve) => {
    waiting.push(resolve);
    channel!.port2.postMessage(0);
  });
}

let channel: MessageChannel | undefined;
const waiting: Array<() => void> = [];

function openChannel(): MessageChannel {
  const opened = new MessageChannel();
  opened.port1.onmessage = () => waiting.shift()?.();
  return opened;
}
