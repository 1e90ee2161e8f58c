// Processes a workflow run left behind. GitHub's runner ends a job by killing every process whose environment
// carries the job's RUNNER_TRACKING_ID ("Cleaning up orphan processes"); act on the host does not, so a local
// preview started with `detach` would outlive the run. The harness gives each run its own tracking id and
// stops what carries it — or runs in the run's folders — when the run is over.
import { readdirSync, readFileSync, readlinkSync } from "node:fs";
import { stopProcessGroup } from "../../workflows-lib/alchemy/process-group.ts";

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

function processGroupOf(pid: number): number | undefined {
  try {
    // /proc/<pid>/stat: "pid (comm) state ppid pgrp …"; comm may hold spaces and parentheses.
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[2]);
  } catch {
    return undefined;
  }
}

/** Stops every process group an orphan belongs to (never this process's own group); returns how many. */
export async function stopOrphans(trackingId: string, dir: string): Promise<number> {
  const own = processGroupOf(process.pid);
  const groups = new Set<number>();
  for (const pid of findOrphans(trackingId, dir)) {
    const group = processGroupOf(pid);
    if (group !== undefined && group > 1 && group !== own) groups.add(group);
    else {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // already gone
      }
    }
  }
  await Promise.all([...groups].map((group) => stopProcessGroup(group, 3000)));
  return groups.size;
}
