// systemd readiness through the `systemd-notify` binary (Node has no unix datagram sockets).
// A no-op unless systemd started us with NOTIFY_SOCKET; a failure is not fatal.
import { execFile } from 'node:child_process';

export function notifySystemd(
  message: string,
  env: Readonly<Record<string, string | undefined>>,
): Promise<boolean> {
  if (!env.NOTIFY_SOCKET) return Promise.resolve(false);
  return new Promise((resolve) => {
    execFile('systemd-notify', [`--pid=${process.pid}`, message], (error) => resolve(!error));
  });
}
