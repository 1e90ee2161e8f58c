import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { z } from "zod";
import { InputError } from "../errors.ts";
import {
  byActivityNewestFirst,
  type DeploymentState,
  type Ledger,
  type LedgerEntry,
  type MarkInput,
  type RecordDeployInput,
} from "../promote/ledger.ts";
import { withLockFile } from "./lock-file.ts";

/** `.alchkit/ledger.json` of a repository. */
export const ledgerPath = (root: string): string => join(root, ".alchkit", "ledger.json");

const STATES = ["pending", "queued", "in_progress", "success", "failure", "error", "inactive"] as const;

const LedgerFileSchema = z.object({
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
      payload: z.object({
        stage: z.string(),
        buildId: z.string(),
        appEntry: z.string(),
        appDir: z.string(),
        envFile: z.string().optional(),
        operation: z.enum(["deploy", "promote", "rollback"]),
        promotedFrom: z.string().optional(),
      }),
      createdAt: z.string(),
      statuses: z.array(
        z.object({
          state: z.enum(STATES),
          seq: z.number().int(),
          at: z.string(),
          description: z.string().optional(),
          url: z.string().optional(),
        }),
      ),
    }),
  ),
});
type LedgerFile = z.infer<typeof LedgerFileSchema>;

export interface FileLedgerOptions {
  /** ISO time source (tests pin it); default: the wall clock. */
  now?: () => string;
}

/**
 * The ledger as a JSON file. Every change is read-modify-write under a lock file and lands with an atomic
 * rename, so concurrent CLI runs never lose an update and a crash never leaves half a file.
 */
export function createFileLedger(path: string, options: FileLedgerOptions = {}): Ledger {
  const now = options.now ?? (() => new Date().toISOString());
  const stamp = now;

  async function load(): Promise<LedgerFile> {
    let text: string;
    try {
      text = await readFile(path, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return { version: 1, nextId: 1, nextSeq: 1, deployments: [] };
      throw error;
    }
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch {
      throw new InputError(path, "a JSON deployment ledger", "the file is not valid JSON");
    }
    const parsed = LedgerFileSchema.safeParse(data);
    if (!parsed.success) {
      throw new InputError(path, "a deployment ledger written by alchkit", parsed.error.issues[0]!.message);
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

  const toEntry = (row: LedgerFile["deployments"][number]): LedgerEntry => {
    const { productionEnvironment: _production, ...entry } = row;
    return structuredClone(entry) as LedgerEntry;
  };

  return {
    recordDeploy(input: RecordDeployInput) {
      return change((file) => {
        const existing = file.deployments.find((row) => row.environment === input.environment && row.sha === input.sha);
        if (existing) {
          existing.payload = { ...input.payload };
          existing.ref = input.ref;
          return toEntry(existing);
        }
        const row: LedgerFile["deployments"][number] = {
          id: String(file.nextId++),
          environment: input.environment,
          sha: input.sha,
          ref: input.ref,
          ...(input.productionEnvironment ? { productionEnvironment: true } : {}),
          payload: { ...input.payload },
          createdAt: stamp(),
          statuses: [],
        };
        file.deployments.push(row);
        return toEntry(row);
      });
    },
    mark(entry: LedgerEntry, state: DeploymentState, input: MarkInput = {}) {
      return change((file) => {
        const row = file.deployments.find((candidate) => candidate.id === entry.id);
        if (!row) throw new Error(`Deployment ${entry.id} is not in the ledger ${path}`);
        const at = stamp();
        if (state === "success") {
          for (const other of file.deployments) {
            if (other !== row && other.environment === row.environment && other.statuses.at(-1)?.state === "success") {
              other.statuses.push({ state: "inactive", seq: file.nextSeq++, at, description: `Replaced by ${row.sha.slice(0, 7)}` });
            }
          }
        }
        row.statuses.push({
          state,
          seq: file.nextSeq++,
          at,
          ...(input.description ? { description: input.description } : {}),
          ...(input.url ? { url: input.url } : {}),
        });
        return toEntry(row);
      });
    },
    async history(environment?: string) {
      const file = await load();
      return file.deployments
        .filter((row) => environment === undefined || row.environment === environment)
        .map(toEntry)
        .sort(byActivityNewestFirst);
    },
  };
}
