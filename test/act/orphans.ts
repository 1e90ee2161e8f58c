// Processes a workflow run left behind. GitHub's runner ends a job by killing every process whose environment
// carries the job's RUNNER_TRACKING_ID ("Cleaning up orphan processes"); act on the host does not, so a local
// preview started with `detach` would outlive the run. The harness gives each run its own tracking id and
// stops what carries it — or runs in the run's folders — when the run is over.
import { readdirSync, readFileSync, readlinkSync } from "node:fs";

/** Process ids whose environment holds `RUNNER_TRACKING_ID=<id>` or whose working directory is under `dir`. */
export function findOrphans(trackingId: string, dir: string): number[] {
  const marker = `RUNNER_TRACKING_ID=${trackingId}\0`;
  let entries: string[];
  try {
    entries = readdirSync("/proc").filter((e) => /^\d+$/.test(e));
  } catch {
    throw new Error("finding the processes a run left needs /proc (Linux)");
  }
  const found: number[] = [];
  for (const entry of entries) {
    const pid = Number(entry);
    if (pid === process.pid) continue;
    try {
      const cwd = readlinkSync(`/proc/${pid}/cwd`);
      if (cwd === dir || cwd.startsWith(`${dir}/`) || readFileSync(`/proc/${pid}/environ`, "latin1").includes(marker)) found.push(pid);
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return found;
}

/** State and process group of a process, from /proc/<pid>/stat ("pid (comm) state ppid pgrp …"; comm may hold spaces and parentheses). */
function statOf(pid: number | string): { state: string; group: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const [state, , group] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return { state: state!, group: Number(group) };
  } catch {
    return undefined;
  }
}

const processGroupOf = (pid: number): number | undefined => statOf(pid)?.group;

/** Whether a process of group `group` is still running: zombies (killed, not yet reaped by their parent) are not. */
const groupRunning = (group: number): boolean =>
  readdirSync("/proc").some((entry) => {
    if (!/^\d+$/.test(entry)) return false;
    const stat = statOf(entry);
    return stat?.group === group && stat.state !== "Z";
  });

/**
 * Kills every process group an orphan belongs to (never this process's own group) and waits until none of
 * their processes runs; returns how many groups. No grace: the runner kills its orphans outright ("Terminate
 * orphan process"). Their parent (often init) reaps them when it gets to it, which here took 1 to 2 s, so a
 * zombie counts as stopped.
 */
export async function stopOrphans(trackingId: string, dir: string): Promise<number> {
  const own = processGroupOf(process.pid);
  const groups = new Set<number>();
  for (const pid of findOrphans(trackingId, dir)) {
    const group = processGroupOf(pid);
    if (group !== undefined && group > 1 && group !== own) groups.add(group);
    else kill(pid);
  }
  for (const group of groups) kill(-group);
  const deadline = Date.now() + 5000;
  for (const group of groups) {
    while (groupRunning(group)) {
      if (Date.now() > deadline) throw new Error(`process group ${group} a run left survived SIGKILL`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
  return groups.size;
}

function kill(pid: number): void {
  try {
    process.kill(pid, "SIGKILL");
  } catch {
    // already gone
  }
}
