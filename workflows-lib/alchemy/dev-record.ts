import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Deployment } from "../platform/runtime.ts";

/** What `.alchkit/dev/<stage>.json` holds for a local app, so another process can find and stop it. */
export interface DevRecord {
  stage: string;
  /** The `alchemy dev` process; it leads its own process group (workerd and esbuild run in it too). */
  pid: number;
  port: number;
  cwd: string;
  logFile: string;
  startedAt: string;
  profile?: string;
  envFile?: string;
  app?: string;
  deployment?: Deployment;
  /** Alchemy app name when the stage's state is in Alchemy's file store (`.alchemy/<app>/<stage>`). */
  fileStateApp?: string;
}

export const devDir = (stateDir: string): string => path.join(stateDir, "dev");
export const recordFile = (stateDir: string, stage: string): string => path.join(devDir(stateDir), `${stage}.json`);
export const logFile = (stateDir: string, stage: string): string => path.join(devDir(stateDir), `${stage}.log`);

export function readDevRecord(stateDir: string, stage: string): DevRecord | undefined {
  try {
    const record = JSON.parse(readFileSync(recordFile(stateDir, stage), "utf8")) as DevRecord;
    // a record is only trusted with a real process id: signalling 0 or 1 would hit our own group or init
    return Number.isInteger(record.pid) && record.pid > 1 && Number.isInteger(record.port) ? record : undefined;
  } catch {
    return undefined;
  }
}

/** Written through a temp file and rename, so a reader never sees half a record. */
export function writeDevRecord(stateDir: string, record: DevRecord): void {
  mkdirSync(devDir(stateDir), { recursive: true });
  const file = recordFile(stateDir, record.stage);
  writeFileSync(`${file}.tmp`, `${JSON.stringify(record, null, 2)}\n`);
  renameSync(`${file}.tmp`, file);
}

export function removeDevRecord(stateDir: string, stage: string): void {
  rmSync(recordFile(stateDir, stage), { force: true });
  rmSync(logFile(stateDir, stage), { force: true });
}
