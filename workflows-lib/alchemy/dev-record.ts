import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Deployment } from "../platform/runtime.ts";

/** What `.alchkit/dev/<stage>.json` holds for a local app, so another process can find and stop it. */
export interface DevRecord {
  stage: string;
  /** The `alchemy dev` process; it leads its own process group (workerd and esbuild run in it too). */
  pid: number;
  /** The port the app's Worker really listens on (from Alchemy's `Ready at` line once it is up). */
  port: number;
  /** The stage's own folder: Alchemy's root dir for it (state and Miniflare storage). */
  rootDir?: string;
  cwd: string;
  logFile: string;
  startedAt: string;
  profile?: string;
  envFile?: string;
  app?: string;
  deployment?: Deployment;
  /** Alchemy app name when the stage's state is in Alchemy's file store (`<rootDir>/.alchemy/<app>/<stage>`). */
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

const portsFile = (stateDir: string): string => path.join(devDir(stateDir), "ports.json");

function readPorts(stateDir: string): Record<string, number> {
  try {
    const ports = JSON.parse(readFileSync(portsFile(stateDir), "utf8")) as Record<string, unknown>;
    return Object.fromEntries(Object.entries(ports).filter((e): e is [string, number] => Number.isInteger(e[1]) && (e[1] as number) > 0));
  } catch {
    return {};
  }
}

/** The port a stage listened on last time (kept across `down`, so a re-run gets the same URL when it is free). */
export function rememberedPort(stateDir: string, stage: string): number | undefined {
  return readPorts(stateDir)[stage];
}

export function rememberPort(stateDir: string, stage: string, port: number): void {
  mkdirSync(devDir(stateDir), { recursive: true });
  const file = portsFile(stateDir);
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify({ ...readPorts(stateDir), [stage]: port }, null, 2)}\n`);
  renameSync(tmp, file);
}
