import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { lastLines, stripAnsi } from "./alchemy-errors.ts";

/**
 * The dev servers `alchemy dev` starts for websites (`Vite`, `ReactRouter`, `Website` with `dev.command`: `vite
 * dev`, `react-router dev`, …): Alchemy records each one's pid in `<root>/.alchemy/pids/<name>.pid.json` and its
 * output in `<root>/.alchemy/logs/<name>.log`, then waits for a URL in that output — forever, when the server
 * exited first (a config error, a missing package). Reading the records lets the local runtime say so at once.
 */
export interface ExitedDevServer {
  /** The website's physical name (the record's file name). */
  name: string;
  /** The last lines the dev server printed. */
  output: string;
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
};

/**
 * A dev server recorded at or after `since` (ms since the epoch: this run's, not a stale record of an earlier
 * one) whose process is gone, or undefined.
 */
export function exitedDevServer(root: string, since: number): ExitedDevServer | undefined {
  const pids = path.join(root, ".alchemy", "pids");
  let files: string[];
  try {
    files = readdirSync(pids).filter((file) => file.endsWith(".pid.json"));
  } catch {
    return undefined;
  }
  for (const file of files) {
    const record = path.join(pids, file);
    try {
      if (statSync(record).mtimeMs < since) continue;
      const pid = Number((JSON.parse(readFileSync(record, "utf8")) as { pid?: unknown }).pid);
      if (!Number.isInteger(pid) || pid <= 0 || alive(pid)) continue;
      const name = file.slice(0, -".pid.json".length);
      let output = "";
      try {
        output = lastLines(stripAnsi(readFileSync(path.join(root, ".alchemy", "logs", `${name}.log`), "utf8")), 15);
      } catch {
        // no log: the message says the server exited, without its output
      }
      return { name, output };
    } catch {
      // written as we read it: looked at again on the next poll
    }
  }
  return undefined;
}
