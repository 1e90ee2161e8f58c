import { link, mkdir, open, readFile, rename, rm, stat } from "node:fs/promises";
import { hostname } from "node:os";
import { dirname } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

/** What a lock file holds: enough to tell whether its holder still exists. */
export interface LockHolder {
  pid: number;
  host: string;
  purpose: string;
  since: string;
}

export interface LockOptions {
  purpose: string;
  /** Called once when the lock is busy, with a description of the holder. */
  onWait?: (holder: string) => void;
  /** Give up after this long (milliseconds); default: wait for as long as it takes. */
  timeoutMs?: number;
  pollMs?: number;
}

export type Release = () => Promise<void>;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

async function readHolder(path: string): Promise<LockHolder | undefined> {
  try {
    return JSON.parse(await readFile(path, "utf8")) as LockHolder;
  } catch {
    return undefined;
  }
}

/** A lock is stale when its holder process is gone (same host) or its file is unreadable and old. */
async function isStale(path: string, holder: LockHolder | undefined): Promise<boolean> {
  if (holder && typeof holder.pid === "number") return holder.host === hostname() && !alive(holder.pid);
  try {
    // A holder writes its file right after creating it; an empty file older than a few seconds was abandoned.
    return Date.now() - (await stat(path)).mtimeMs > 5_000;
  } catch {
    return false;
  }
}

export function describeHolder(holder: LockHolder | undefined): string {
  return holder ? `${holder.purpose} (pid ${holder.pid} on ${holder.host}, since ${holder.since})` : "another process";
}

/**
 * Takes an exclusive lock file (created with O_EXCL, holding pid and purpose), waiting while another live
 * process holds it and breaking it when its holder died. Returns the release function.
 */
export async function acquireLockFile(path: string, options: LockOptions): Promise<Release> {
  await mkdir(dirname(path), { recursive: true });
  const deadline = options.timeoutMs === undefined ? Infinity : Date.now() + options.timeoutMs;
  const me: LockHolder = { pid: process.pid, host: hostname(), purpose: options.purpose, since: new Date().toISOString() };
  let told = false;
  for (;;) {
    try {
      const handle = await open(path, "wx");
      try {
        await handle.writeFile(JSON.stringify(me));
      } finally {
        await handle.close();
      }
      let released = false;
      return async () => {
        if (released) return;
        released = true;
        const holder = await readHolder(path);
        if (holder && holder.pid === me.pid && holder.since === me.since) await rm(path, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const holder = await readHolder(path);
    if (await isStale(path, holder)) {
      await breakStale(path, holder);
      continue;
    }
    if (!told) {
      told = true;
      options.onWait?.(describeHolder(holder));
    }
    if (Date.now() > deadline) {
      throw new Error(`Timed out waiting for the lock ${path} held by ${describeHolder(holder)}`);
    }
    await sleep(options.pollMs ?? 200);
  }
}

/**
 * Removes a stale lock without removing a fresh one a competitor just created: move it aside, then check that
 * what was moved is the stale holder we saw; if not, put it back.
 */
async function breakStale(path: string, seen: LockHolder | undefined): Promise<void> {
  const aside = `${path}.${process.pid}.${Date.now()}.stale`;
  try {
    await rename(path, aside);
  } catch {
    return; // someone else broke it first
  }
  const moved = await readHolder(aside);
  const same = JSON.stringify(moved) === JSON.stringify(seen) || (await isStale(aside, moved));
  if (same) {
    await rm(aside, { force: true });
    return;
  }
  // Not ours to break (a live competitor's fresh lock): put it back unless yet another lock exists by now.
  await link(aside, path).catch(() => undefined);
  await rm(aside, { force: true });
}

/** Runs `body` while holding the lock. */
export async function withLockFile<T>(path: string, options: LockOptions, body: () => Promise<T>): Promise<T> {
  const release = await acquireLockFile(path, options);
  try {
    return await body();
  } finally {
    await release();
  }
}
