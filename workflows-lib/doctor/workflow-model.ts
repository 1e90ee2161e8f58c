import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node as YamlNode, type YAMLMap } from "yaml";

/**
 * A GitHub Actions workflow file as doctor needs it: triggers, concurrency, env, jobs and steps, each with the
 * line it starts on (the `yaml` parser keeps every node's source range).
 */
export interface WorkflowTrigger {
  event: string;
  /** `types:` of the event; undefined when not given (GitHub's defaults apply). */
  types?: string[];
  line: number;
}

export interface WorkflowStep {
  line: number;
  name?: string;
  run?: string;
  /** Line of the `run:` value's first line of script (for a block scalar, the line after `run: |`). */
  runLine?: number;
  /** Offset of the `run:` value in the file, for finding lines within it. */
  runOffset?: number;
  uses?: string;
  env: Record<string, string>;
  with: Record<string, string>;
  workingDirectory?: string;
}

export interface WorkflowJob {
  id: string;
  line: number;
  /** A reusable workflow this job calls (`uses:` on the job). */
  uses?: string;
  with: Record<string, string>;
  if?: string;
  timeoutMinutes?: string;
  concurrencyGroup?: string;
  env: Record<string, string>;
  workingDirectory?: string;
  steps: WorkflowStep[];
}

export interface Workflow {
  file: string;
  text: string;
  name?: string;
  triggers: WorkflowTrigger[];
  concurrencyGroup?: string;
  env: Record<string, string>;
  jobs: WorkflowJob[];
  /** 1-based line of a character offset. */
  lineAt(offset: number): number;
}

const str = (node: unknown): string | undefined => {
  if (isScalar(node)) return node.value === null || node.value === undefined ? undefined : String(node.value);
  return undefined;
};

function mapEntries(node: unknown): Array<[string, unknown, YamlNode | undefined]> {
  if (!isMap(node)) return [];
  return (node as YAMLMap).items.map((pair) => [String(isScalar(pair.key) ? pair.key.value : pair.key), pair.value, pair.key as YamlNode | undefined]);
}

function get(node: unknown, key: string): unknown {
  return isMap(node) ? (node as YAMLMap).get(key, true) : undefined;
}

function stringMap(node: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of mapEntries(node)) {
    const text = str(value);
    if (text !== undefined) out[key] = text;
  }
  return out;
}

function concurrencyGroup(node: unknown): string | undefined {
  if (node === undefined || node === null) return undefined;
  if (isScalar(node)) return str(node);
  return str(get(node, "group"));
}

/** Parses one workflow file; undefined when it is not YAML with a `jobs` map (not a workflow). */
export function parseWorkflow(file: string, text: string): Workflow | undefined {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, keepSourceTokens: false, uniqueKeys: false });
  if (doc.errors.length > 0 || !isMap(doc.contents)) return undefined;
  const lineAt = (offset: number) => lineCounter.linePos(offset).line;
  const lineOfNode = (node: unknown): number => {
    const range = (node as { range?: [number, number, number] } | undefined)?.range;
    return range ? lineAt(range[0]) : 1;
  };
  const root = doc.contents;
  const jobsNode = get(root, "jobs");
  if (!isMap(jobsNode)) return undefined;

  const triggers: WorkflowTrigger[] = [];
  // `on` may be parsed as the key "on" (YAML 1.2); some writers quote it, YAML 1.1 tools read it as true.
  const onEntry = (root as YAMLMap).items.find((pair) => isScalar(pair.key) && (pair.key.value === "on" || pair.key.value === true));
  const on = onEntry?.value;
  if (isScalar(on)) triggers.push({ event: String(on.value), line: lineOfNode(on) });
  else if (isSeq(on)) for (const item of on.items) triggers.push({ event: String(str(item)), line: lineOfNode(item) });
  else
    for (const [event, value, key] of mapEntries(on)) {
      const typesNode = get(value, "types");
      const types = isSeq(typesNode) ? typesNode.items.map((item) => String(str(item))) : str(typesNode) !== undefined ? [str(typesNode)!] : undefined;
      triggers.push({ event, ...(types ? { types } : {}), line: lineOfNode(key) });
    }

  const jobs: WorkflowJob[] = [];
  for (const [id, jobNode, key] of mapEntries(jobsNode)) {
    const defaultsDir = str(get(get(get(jobNode, "defaults"), "run"), "working-directory"));
    const steps: WorkflowStep[] = [];
    const stepsNode = get(jobNode, "steps");
    if (isSeq(stepsNode)) {
      for (const stepNode of stepsNode.items) {
        const runNode = get(stepNode, "run");
        const run = str(runNode);
        const runRange = (runNode as { range?: [number, number, number] } | undefined)?.range;
        const block = run !== undefined && isScalar(runNode) && (runNode.type === "BLOCK_LITERAL" || runNode.type === "BLOCK_FOLDED");
        const name = str(get(stepNode, "name"));
        const uses = str(get(stepNode, "uses"));
        const workingDirectory = str(get(stepNode, "working-directory")) ?? defaultsDir;
        steps.push({
          line: lineOfNode(stepNode),
          ...(name !== undefined ? { name } : {}),
          ...(run !== undefined ? { run, runLine: runRange ? lineAt(runRange[0]) + (block ? 1 : 0) : lineOfNode(stepNode), ...(runRange ? { runOffset: runRange[0] } : {}) } : {}),
          ...(uses !== undefined ? { uses } : {}),
          env: stringMap(get(stepNode, "env")),
          with: stringMap(get(stepNode, "with")),
          ...(workingDirectory !== undefined ? { workingDirectory } : {}),
        });
      }
    }
    const uses = str(get(jobNode, "uses"));
    const condition = str(get(jobNode, "if"));
    const timeout = str(get(jobNode, "timeout-minutes"));
    const group = concurrencyGroup(get(jobNode, "concurrency"));
    jobs.push({
      id,
      line: lineOfNode(key),
      ...(uses !== undefined ? { uses } : {}),
      with: stringMap(get(jobNode, "with")),
      ...(condition !== undefined ? { if: condition } : {}),
      ...(timeout !== undefined ? { timeoutMinutes: timeout } : {}),
      ...(group !== undefined ? { concurrencyGroup: group } : {}),
      env: stringMap(get(jobNode, "env")),
      ...(defaultsDir !== undefined ? { workingDirectory: defaultsDir } : {}),
      steps,
    });
  }
  const name = str(get(root, "name"));
  const group = concurrencyGroup(get(root, "concurrency"));
  return {
    file,
    text,
    ...(name !== undefined ? { name } : {}),
    triggers,
    ...(group !== undefined ? { concurrencyGroup: group } : {}),
    env: stringMap(get(root, "env")),
    jobs,
    lineAt,
  };
}
