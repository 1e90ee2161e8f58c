import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { z } from "zod";
import { InputError } from "../errors.ts";
import { firstIssue, parseJsonInput } from "../validate.ts";
import {
  byActivityNewestFirst,
  OPERATION_KINDS,
  RECORD_KINDS,
  isOperationKind,
  takesAllTraffic,
  type AppendInput,
  type DeploymentState,
  type EntryRef,
  type JsonObject,
  type Ledger,
  type LedgerEntry,
  type MarkInput,
  type OperationEntry,
} from "../promote/ledger.ts";
import { withLockFile } from "./lock-file.ts";

/** `.alchkit/ledger.json` of a repository. */
export const ledgerPath = (root: string): string => join(root, ".alchkit", "ledger.json");

/** Who wrote an entry of the file ledger: the kit on this machine (the file has no other writer). */
export const LOCAL_CREATOR = "local";

const STATES = ["pending", "queued", "in_progress", "success", "failure", "error", "inactive"] as const;

const Status = z.object({
  state: z.enum(STATES),
  seq: z.number().int(),
  at: z.string(),
  description: z.string().optional(),
  url: z.string().optional(),
  versionId: z.string().optional(),
  script: z.string().optional(),
});

const Payload = z.object({
  stage: z.string(),
  buildId: z.string(),
  appEntry: z.string(),
  appDir: z.string(),
  envFile: z.string().optional(),
  versionId: z.string().optional(),
  traffic: z.number().min(0).max(100).optional(),
});

const Json: z.ZodType<JsonObject> = z.record(z.string(), z.json()) as unknown as z.ZodType<JsonObject>;

const Entry = z.object({
  id: z.string(),
  kind: z.enum([...OPERATION_KINDS, ...RECORD_KINDS]),
  key: z.string().min(1),
  environment: z.string(),
  sha: z.string(),
  ref: z.string(),
  createdAt: z.string(),
  creator: z.string(),
  productionEnvironment: z.boolean().optional(),
  payload: Payload.optional(),
  from: z.string().optional(),
  about: z.string().optional(),
  data: Json.optional(),
  statuses: z.array(Status),
});
type Row = z.infer<typeof Entry>;

const LedgerFileSchema = z.object({
  version: z.literal(2),
  nextId: z.number().int().positive(),
  nextSeq: z.number().int().positive(),
  entries: z.array(Entry),
});
type LedgerFile = z.infer<typeof LedgerFileSchema>;

/** Version 1 kept one row per environment and SHA, its latest operation in the payload. */
const LegacyFileSchema = z.object({
  version: z.literal(1),
  nextId: z.number().int().positive(),
  nextSeq: z.number().int().positive(),
  deployments: z.array(
    z.object({
      id: z.string(),
      environment: z.string(),
      sha: z.string(),
      ref: z.string(),
      productionEnvironment: z.boolean().optional(),
      payload: Payload.extend({ operation: z.enum(["deploy", "promote", "rollback"]), promotedFrom: z.string().optional() }),
      createdAt: z.string(),
      statuses: z.array(Status),
    }),
  ),
});

/** A version 1 file read as version 2: each old row is one entry (its history cannot be split after the fact). */
function fromLegacy(file: z.infer<typeof LegacyFileSchema>): LedgerFile {
  return {
    version: 2,
    nextId: file.nextId,
    nextSeq: file.nextSeq,
    entries: file.deployments.map(({ payload: { operation, promotedFrom, ...payload }, ...row }) => ({
      ...row,
      kind: operation,
      key: `legacy:${row.id}`,
      creator: LOCAL_CREATOR,
      payload,
      ...(promotedFrom ? { from: promotedFrom } : {}),
    })),
  };
}

export interface FileLedgerOptions {
  /** ISO time source (tests pin it); default: the wall clock. */
  now?: () => string;
}

/**
 * The ledger as a JSON file. Every change is read-modify-write under a lock file and lands with an atomic
 * rename, so concurrent CLI runs never lose an update and a crash never leaves half a file.
 */
export function createFileLedger(path: string, options: FileLedgerOptions = {}): Ledger {
  const stamp = options.now ?? (() => new Date().toISOString());

  async function load(): Promise<LedgerFile> {
    let text: string;
    try {
      text = await readFile(path, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return { version: 2, nextId: 1, nextSeq: 1, entries: [] };
      throw error;
    }
    const data = parseJsonInput(text, path, "a JSON deployment ledger");
    const legacy = LegacyFileSchema.safeParse(data);
    if (legacy.success) return fromLegacy(legacy.data);
    const parsed = LedgerFileSchema.safeParse(data);
    if (!parsed.success) throw new InputError(path, "a deployment ledger written by alchkit", firstIssue(parsed.error, "file"));
    for (const row of parsed.data.entries) {
      if (isOperationKind(row.kind) !== (row.payload !== undefined)) {
        throw new InputError(path, "a deployment ledger written by alchkit", `entry ${row.id}: a ${row.kind} entry ${row.payload ? "has" : "lacks"} a payload`);
      }
    }
    return parsed.data;
  }

  async function save(file: LedgerFile): Promise<void> {
    await mkdir(dirname(path), { recursive: true });
    const temp = `${path}.${process.pid}.tmp`;
    await writeFile(temp, `${JSON.stringify(file, null, 2)}\n`);
    await rename(temp, path);
  }

  const change = <T>(body: (file: LedgerFile) => T): Promise<T> =>
    withLockFile(`${path}.lock`, { purpose: "ledger update", pollMs: 20 }, async () => {
      const file = await load();
      const result = body(file);
      await save(file);
      return result;
    });

  const toEntry = (row: Row): LedgerEntry => {
    const { productionEnvironment: _production, ...entry } = row;
    return structuredClone(entry) as LedgerEntry;
  };

  const status = (file: LedgerFile, state: DeploymentState, input: MarkInput) => ({
    state,
    seq: file.nextSeq++,
    at: stamp(),
    ...(input.description ? { description: input.description } : {}),
    ...(input.url ? { url: input.url } : {}),
    ...(input.versionId ? { versionId: input.versionId } : {}),
    ...(input.versionId && input.script ? { script: input.script } : {}),
  });

  return {
    append(input: AppendInput) {
      return change((file) => {
        const existing = file.entries.find((row) => row.key === input.key);
        if (existing) return toEntry(existing);
        const row: Row = {
          id: String(file.nextId++),
          kind: input.kind,
          key: input.key,
          environment: input.environment,
          sha: input.sha,
          ref: input.ref,
          createdAt: stamp(),
          creator: LOCAL_CREATOR,
          ...(input.productionEnvironment ? { productionEnvironment: true } : {}),
          ...("payload" in input ? { payload: { ...input.payload } } : {}),
          ...("from" in input && input.from ? { from: input.from } : {}),
          ...(input.about ? { about: input.about } : {}),
          ...(input.data ? { data: structuredClone(input.data) } : {}),
          statuses: [],
        };
        if ("state" in input) {
          row.statuses.push(status(file, input.state, { ...(input.description ? { description: input.description } : {}), ...(input.url ? { url: input.url } : {}) }));
        }
        file.entries.push(row);
        return toEntry(row);
      });
    },
    mark(entry: EntryRef, state: DeploymentState, input: MarkInput = {}) {
      return change((file) => {
        const row = file.entries.find((candidate) => candidate.id === entry.id);
        if (!row) throw new Error(`Entry ${entry.id} is not in the ledger ${path}`);
        if (!row.payload) throw new Error(`Entry ${entry.id} is a ${row.kind} record: records are final when written`);
        if (state === "success" && takesAllTraffic({ payload: row.payload })) {
          for (const other of file.entries) {
            if (other !== row && other.payload && other.environment === row.environment && other.statuses.at(-1)?.state === "success") {
              other.statuses.push(status(file, "inactive", { description: `Replaced by ${row.sha.slice(0, 7)}` }));
            }
          }
        }
        row.statuses.push(status(file, state, input));
        return toEntry(row) as OperationEntry;
      });
    },
    async history(environment?: string) {
      const file = await load();
      return file.entries
        .filter((row) => environment === undefined || row.environment === environment)
        .map(toEntry)
        .sort(byActivityNewestFirst);
    },
  };
}
