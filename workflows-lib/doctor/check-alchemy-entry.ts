import { finding, type Finding } from "./checks.ts";
import {
  constInitializers,
  envVariable,
  importsOf,
  lineOf,
  parseTypeScript,
  propertyOf,
  stringValue,
  unwrap,
  walk,
  type SyntaxNode,
} from "./typescript-source.ts";

/** What the rest of doctor needs to know about one `alchemy.run.ts`. */
export interface EntryFacts {
  /** Repository-relative path of the entry. */
  file: string;
  /** `alchemy("<name>")`, when a literal. */
  appName?: string;
  /** The program chooses its stage itself (`alchemy("app", { stage })`): a CLI without `--stage` is not the whole story. */
  setsStage: boolean;
  /** Worker entrypoints (`Worker("api", { entrypoint })`), relative to the entry's folder. */
  workerEntrypoints: Array<{ id: string; path: string; line: number }>;
  /** Line of a `GitHubComment` resource (the preview comment of Alchemy's CI guide). */
  githubCommentLine?: number;
  /** A syntax error that kept the file from being read whole. */
  parseError?: string;
}

export interface EntryCheckOptions {
  /** Stages a forgotten stage must never fall back to (production and the other protected ones). */
  protectedStages: readonly string[];
}

/** Where each resource keeps the name Cloudflare knows it by (default `name`). */
const PHYSICAL_NAME_PROP: Record<string, string> = { KVNamespace: "title", Workflow: "workflowName" };
/** Resources whose fixed name is the point: the zone itself, records in it. */
const NAMED_BY_DESIGN = new Set(["Zone", "DnsRecords", "AccountId", "AccountApiToken", "Secret", "Assets"]);

/** Is the value the same in every stage? Literals, `${app.name}`, constants made of those. */
function isStageIndependent(node: SyntaxNode | undefined, consts: Map<string, SyntaxNode>, appVars: Set<string>, depth = 0): boolean {
  const n = unwrap(node);
  if (!n || depth > 5) return false;
  if (stringValue(n) !== undefined) return true;
  if (n.type === "TemplateLiteral") return (n.expressions as SyntaxNode[]).every((e) => isStageIndependent(e, consts, appVars, depth + 1));
  if (n.type === "BinaryExpression" && n.operator === "+") return isStageIndependent(n.left as SyntaxNode, consts, appVars, depth + 1) && isStageIndependent(n.right as SyntaxNode, consts, appVars, depth + 1);
  if (n.type === "NumericLiteral") return true;
  if (n.type === "Identifier") {
    const init = consts.get(n.name as string);
    return init !== undefined && isStageIndependent(init, consts, appVars, depth + 1);
  }
  if (n.type === "MemberExpression" && !n.computed) {
    const object = n.object as SyntaxNode;
    const property = n.property as SyntaxNode;
    return object.type === "Identifier" && appVars.has(object.name as string) && property.type === "Identifier" && property.name === "name";
  }
  return false;
}

/** A branch (if, ternary, &&/||/??) between `node` and the top: the code may run in one stage only. */
function isConditional(ancestors: readonly SyntaxNode[], stopAt?: SyntaxNode): boolean {
  for (let i = ancestors.length - 1; i >= 0; i--) {
    const a = ancestors[i]!;
    if (a === stopAt) return false;
    if (a.type === "IfStatement" || a.type === "ConditionalExpression" || a.type === "LogicalExpression" || a.type === "SwitchCase") return true;
  }
  return false;
}

/** `alchemy("app", …)` or `alchemy(…)`: the callee is the default import of "alchemy". */
function isAlchemyCall(node: SyntaxNode, alchemyLocals: Set<string>): boolean {
  return node.type === "CallExpression" && (node.callee as SyntaxNode).type === "Identifier" && alchemyLocals.has((node.callee as SyntaxNode).name as string);
}

/** The resource a call creates, when its callee comes from one of Alchemy's modules (`alchemy/cloudflare`, …). */
function resourceName(node: SyntaxNode, imports: ReturnType<typeof importsOf>): string | undefined {
  if (node.type !== "CallExpression" && node.type !== "NewExpression") return undefined;
  const callee = node.callee as SyntaxNode;
  if (callee.type === "Identifier") {
    const binding = imports.get(callee.name as string);
    return binding && binding.source.startsWith("alchemy/") && binding.imported !== "*" && binding.imported !== "default" ? binding.imported : undefined;
  }
  if (callee.type === "MemberExpression" && (callee.object as SyntaxNode).type === "Identifier" && (callee.property as SyntaxNode).type === "Identifier") {
    const binding = imports.get((callee.object as SyntaxNode).name as string);
    return binding && binding.source.startsWith("alchemy/") && binding.imported === "*" ? ((callee.property as SyntaxNode).name as string) : undefined;
  }
  return undefined;
}

/** The value used when every condition fails: the right of `??`/`||`, a ternary's alternate, recursively. */
function finalFallback(node: SyntaxNode | undefined): { value: string; node: SyntaxNode } | undefined {
  const n = unwrap(node);
  if (!n) return undefined;
  if (n.type === "LogicalExpression" && (n.operator === "??" || n.operator === "||")) return finalFallback(n.right as SyntaxNode);
  if (n.type === "ConditionalExpression") return finalFallback(n.alternate as SyntaxNode);
  const value = stringValue(n);
  return value === undefined ? undefined : { value, node: n };
}

const stageFix = (id: string, prop: string, kind: string) =>
  `Leave \`${prop}\` out and let Alchemy name it per stage, or put the stage in it: \`${prop}: \`\${app.name}-${id}-\${app.stage}\`\`. ` +
  `If every stage really must share this ${kind}, create it only in production (\`if (app.stage === "prod")\`) and bind the others to their own.`;

export function checkAlchemyEntry(file: string, text: string, options: EntryCheckOptions): { facts: EntryFacts; findings: Finding[] } {
  const findings: Finding[] = [];
  const facts: EntryFacts = { file, setsStage: false, workerEntrypoints: [] };
  let parsed: ReturnType<typeof parseTypeScript>;
  try {
    parsed = parseTypeScript(text);
  } catch (error) {
    facts.parseError = (error as Error).message;
    return { facts, findings };
  }
  if (parsed.errors.length > 0) facts.parseError = parsed.errors[0];
  const { program } = parsed;
  const imports = importsOf(program);
  const consts = constInitializers(program);
  const alchemyLocals = new Set([...imports].filter(([, b]) => b.source === "alchemy" && b.imported === "default").map(([local]) => local));
  const stateStoreLocals = new Set([...imports].filter(([, b]) => b.source.startsWith("alchemy/") && b.imported === "CloudflareStateStore").map(([local]) => local));
  const protectedStages = new Set(options.protectedStages.map((s) => s.toLowerCase()));
  const flaggedStageLines = new Set<number>();

  // The app variables (`const app = await alchemy(…)`), for `${app.name}` and `app.stage`.
  const appVars = new Set<string>();
  for (const [name, init] of consts) {
    const call = unwrap(init);
    if (call && isAlchemyCall(call, alchemyLocals)) appVars.add(name);
  }

  walk(program, (node, ancestors) => {
    if (isAlchemyCall(node, alchemyLocals)) {
      const args = node.arguments as SyntaxNode[];
      const name = stringValue(args[0]);
      if (name && !facts.appName) facts.appName = name;
      const opts = stringValue(args[0]) !== undefined ? args[1] : args[0];
      const stage = propertyOf(opts, "stage");
      if (stage) {
        facts.setsStage = true;
        const value = unwrap(stage.value as SyntaxNode);
        const resolved = value?.type === "Identifier" ? consts.get(value.name as string) : value;
        const fallback = finalFallback(resolved);
        // `process.env.STAGE ?? "prod"` has its own message below.
        const readsStageVariable = resolved && /^(ALCHEMY_)?STAGE$/.test(envVariable((resolved.type === "ConditionalExpression" ? resolved.test : resolved.left) as SyntaxNode | undefined) ?? "");
        if (fallback !== undefined && !readsStageVariable && protectedStages.has(fallback.value.toLowerCase()) && !flaggedStageLines.has(lineOf(fallback.node) ?? 0)) {
          flaggedStageLines.add(lineOf(fallback.node) ?? 0);
          findings.push(
            finding(
              "stage-defaults-to-production",
              { file, line: lineOf(stage) },
              `alchemy(…) falls back to the stage "${fallback.value}" when none of its conditions hold: a run on a laptop or in a CI job that forgets the stage deploys ${fallback.value}.`,
              "Name production explicitly (a condition that is true only for it, e.g. the main branch in CI) and let every other run use Alchemy's own default (your user name) or fail.",
            ),
          );
        }
      }
    }

    // A stage that falls back to production: `process.env.STAGE ?? "prod"` (or ||, or a ternary).
    if ((node.type === "LogicalExpression" && (node.operator === "??" || node.operator === "||")) || node.type === "ConditionalExpression") {
      const reads = node.type === "ConditionalExpression" ? (node.test as SyntaxNode) : (node.left as SyntaxNode);
      const fallback = stringValue(node.type === "ConditionalExpression" ? (node.alternate as SyntaxNode) : (node.right as SyntaxNode));
      const variable = envVariable(reads);
      if (variable && /^(ALCHEMY_)?STAGE$/.test(variable) && fallback !== undefined && protectedStages.has(fallback.toLowerCase()) && !flaggedStageLines.has(lineOf(node) ?? 0)) {
        flaggedStageLines.add(lineOf(node) ?? 0);
        findings.push(
          finding(
            "stage-defaults-to-production",
            { file, line: lineOf(node) },
            `The stage falls back to "${fallback}" when ${variable} is not set: any run that forgets the stage deploys (or destroys) ${fallback}.`,
            `Drop the fallback and let Alchemy use its own default (your user name locally), or fail without a stage: \`const stage = process.env.${variable}; if (!stage) throw new Error("set ${variable}")\`. ` +
              `CI names the stage on every run (alchkit's workflows do).`,
          ),
        );
      }
    }

    const kind = resourceName(node, imports);
    if (kind && node.type === "CallExpression") {
      const args = node.arguments as SyntaxNode[];
      const id = stringValue(args[0]) ?? "?";
      const props = args[1];
      if (kind === "GitHubComment") facts.githubCommentLine ??= lineOf(node);
      if (kind === "Worker" || kind === "Vite" || kind === "Website") {
        const entrypoint = stringValue(propertyOf(props, "entrypoint")?.value as SyntaxNode | undefined);
        if (entrypoint) facts.workerEntrypoints.push({ id, path: entrypoint, line: lineOf(node) ?? 0 });
      }
      if (!NAMED_BY_DESIGN.has(kind) && !isConditional(ancestors)) {
        const prop = PHYSICAL_NAME_PROP[kind] ?? "name";
        const property = propertyOf(props, prop);
        const value = property?.value as SyntaxNode | undefined;
        if (property && isStageIndependent(value, consts, appVars)) {
          const shown = stringValue(value) ?? text.slice((unwrap(value) as { start?: number }).start ?? 0, (unwrap(value) as { end?: number }).end ?? 0);
          findings.push(
            finding(
              "shared-physical-name",
              { file, line: lineOf(property) },
              `${kind} "${id}" is named ${JSON.stringify(shown)} in every stage: previews, staging and production all use the same ${kind}, and destroying a preview deletes it.`,
              stageFix(id, prop, kind),
            ),
          );
        } else if (!property && kind === "Workflow") {
          const className = stringValue(propertyOf(props, "className")?.value as SyntaxNode | undefined);
          findings.push(
            finding(
              "shared-physical-name",
              { file, line: lineOf(node) },
              `Workflow "${id}" has no workflowName, so Alchemy names it "${className ?? id}" in every stage: Workflow names are unique in the account, and each stage's deploy points it at its own Worker (a preview takes over production's Workflow).`,
              stageFix(id, "workflowName", kind),
            ),
          );
        }
      }
    }

    // CloudflareStateStore outside any branch.
    if (node.type === "NewExpression" && (node.callee as SyntaxNode).type === "Identifier" && stateStoreLocals.has((node.callee as SyntaxNode).name as string) && !isConditional(ancestors)) {
      findings.push(
        finding(
          "state-store-unconditional",
          { file, line: lineOf(node) },
          "CloudflareStateStore is used on every run: local development needs a Cloudflare token and ALCHEMY_STATE_TOKEN, and a laptop's stage lives in the shared remote store.",
          "Use it in CI only and keep local runs on disk: `stateStore: process.env.CI && process.env.ALCHEMY_CI_STATE_STORE_CHECK !== \"false\" ? (scope) => new CloudflareStateStore(scope) : undefined` " +
            "(alchkit's local runtime sets ALCHEMY_CI_STATE_STORE_CHECK=false, so `--local` runs keep file state in CI too).",
        ),
      );
    }
  });
  return { facts, findings };
}
