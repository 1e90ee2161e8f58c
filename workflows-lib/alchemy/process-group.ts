import { readFileSync } from "node:fs";
import net from "node:net";

/**
 * False when `pid` now belongs to another program (process ids are reused after a reboot or a long time):
 * its command line, where the OS shows it, must mention `marker`. Unknown (no /proc, leader gone) counts as ours.
 */
export function isOwnProcess(pid: number, marker: string): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").includes(marker);
  } catch {
    return true;
  }
}

/** True while any process of the group `pgid` exists. */
export function processGroupAlive(pgid: number): boolean {
  // 0 and 1 would address our own group or init: never a recorded app.
  if (!Number.isInteger(pgid) || pgid <= 1) return false;
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Stops a whole process group: SIGTERM (Alchemy and Miniflare shut workerd down), then SIGKILL after
 * `graceMs`. Resolves once no process of the group is left.
 */
export async function stopProcessGroup(pgid: number, graceMs = 5000): Promise<void> {
  if (!Number.isInteger(pgid) || pgid <= 1) throw new Error(`refusing to signal process group ${pgid}`);
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(-pgid, name);
    } catch {
      // already gone
    }
  };
  signal("SIGTERM");
  const deadline = Date.now() + graceMs;
  while (processGroupAlive(pgid) && Date.now() < deadline) await sleep(50);
  if (processGroupAlive(pgid)) {
    signal("SIGKILL");
    const hard = Date.now() + 5000;
    while (processGroupAlive(pgid) && Date.now() < hard) await sleep(50);
  }
  if (processGroupAlive(pgid)) throw new Error(`process group ${pgid} survived SIGKILL`);
}

/** A port nobody listens on right now (the kernel's choice, on all interfaces like Alchemy's dev server). */
export function reserveFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * True when `port` can be listened on, on every interface (so also on loopback): what a stage that had this port
 * before needs to get it again.
 */
export function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.unref();
    server.once("error", () => resolve(false));
    server.listen(port, "0.0.0.0", () => server.close(() => resolve(true)));
  });
}

/** True when something accepts TCP connections on localhost:port. */
export function isListening(port: number, host = "127.0.0.1"): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

export async function waitUntilClosed(port: number, timeoutMs = 5000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!(await isListening(port))) return true;
    await sleep(50);
  }
  return !(await isListening(port));
}
