/**
 * Where a shell script (a workflow's `run:`, a package.json script) starts Alchemy, and with which stage: the
 * `alchemy` CLI however it is launched (`npx`, `bunx`, `pnpm exec`, `yarn`, `npm exec --`), a package script
 * that does (`bun run destroy`), or the program run directly (`bun ./alchemy.run.ts --destroy`, `tsx
 * alchemy.run.ts` with `PHASE=destroy`).
 */
export interface AlchemyInvocation {
  phase: "up" | "destroy" | "dev";
  /** `--stage` or an inline STAGE/ALCHEMY_STAGE assignment. */
  stage?: string;
  /** The command as written in the script. */
  command: string;
  /** Line of the script (0-based) the command is on. */
  lineIndex: number;
  /** The package script it went through, e.g. `destroy` for `bun run destroy`. */
  script?: string;
}

/** Package scripts by name (the package.json next to where the step runs). */
export type ScriptLookup = (name: string) => string | undefined;

const RUNNERS = new Set(["npx", "bunx", "pnpx"]);
// Longest first: `bun run alchemy` before `bun alchemy`.
const EXEC_PREFIXES: string[][] = [["pnpm", "exec"], ["pnpm", "dlx"], ["npm", "exec"], ["yarn", "exec"], ["yarn", "dlx"], ["yarn", "run"], ["pnpm", "run"], ["bun", "x"], ["bun", "run"], ["bun"], ["pnpm"], ["yarn"]];
const PACKAGE_RUN: string[][] = [["npm", "run"], ["npm", "run-script"], ["pnpm", "run"], ["yarn", "run"], ["bun", "run"], ["pnpm"], ["yarn"]];
const PROGRAM_RUNNERS = new Set(["bun", "tsx", "node", "deno", "ts-node", "bunx"]);

function tokenize(command: string): string[] {
  const tokens: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+)/g;
  for (const m of command.matchAll(re)) tokens.push(m[1] ?? m[2] ?? m[3] ?? "");
  return tokens;
}

/** Commands of a script with the line each starts on: lines joined at `\`, split at `&&`, `||`, `;` and `|`. */
function commandsOf(script: string): Array<{ command: string; lineIndex: number }> {
  const out: Array<{ command: string; lineIndex: number }> = [];
  const lines = script.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const start = i;
    let line = lines[i]!;
    while (line.endsWith("\\") && i + 1 < lines.length) line = `${line.slice(0, -1)} ${lines[++i]}`;
    const code = line.replace(/(^|\s)#.*$/, "");
    for (const part of code.split(/&&|\|\||;|\|/)) {
      const command = part.trim();
      if (command) out.push({ command, lineIndex: start });
    }
  }
  return out;
}

function stageFlag(args: string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "--stage" && i + 1 < args.length) return args[i + 1];
    if (arg.startsWith("--stage=")) return arg.slice("--stage=".length);
  }
  return undefined;
}

const startsWith = (tokens: string[], prefix: string[]) => prefix.every((word, i) => tokens[i] === word);

export function findAlchemyInvocations(script: string, scripts: ScriptLookup = () => undefined, depth = 0): AlchemyInvocation[] {
  const found: AlchemyInvocation[] = [];
  for (const { command, lineIndex } of commandsOf(script)) {
    let tokens = tokenize(command);
    const env: Record<string, string> = {};
    while (tokens[0] && /^[A-Za-z_][A-Za-z0-9_]*=/.test(tokens[0])) {
      const [name, ...value] = tokens.shift()!.split("=");
      env[name!] = value.join("=");
    }
    if (tokens[0] === "env") tokens = tokens.slice(1);
    const inlineStage = env.STAGE ?? env.ALCHEMY_STAGE;
    const push = (phase: AlchemyInvocation["phase"], args: string[], script?: string) => {
      const stage = stageFlag(args) ?? inlineStage;
      found.push({ phase, ...(stage !== undefined ? { stage } : {}), command, lineIndex, ...(script ? { script } : {}) });
    };

    // The alchemy CLI, however it is launched.
    let rest = tokens;
    if (rest[0] && RUNNERS.has(rest[0])) rest = rest.slice(1);
    else {
      const prefix = EXEC_PREFIXES.find((p) => startsWith(rest, p));
      if (prefix && rest[prefix.length] !== undefined && /(^|\/)alchemy$/.test(rest.slice(prefix.length).find((t) => !t.startsWith("-")) ?? "")) rest = rest.slice(prefix.length);
    }
    rest = rest.filter((t, i) => !(i < 3 && (t === "--" || t === "--no" || t === "-y" || t === "--yes")));
    if (rest[0] && /(^|\/)alchemy$/.test(rest[0])) {
      const verb = rest[1];
      if (verb === "deploy" || verb === "destroy" || verb === "dev") push(verb === "deploy" ? "up" : verb, rest.slice(2));
      continue;
    }

    // The program run directly.
    const programIndex = tokens.findIndex((t) => /(^|\/)alchemy\.run\.[mc]?[jt]s$/.test(t));
    if (programIndex >= 0 && (programIndex === 0 || PROGRAM_RUNNERS.has(tokens[0]!) || tokens[0] === "npx")) {
      const args = tokens.slice(programIndex + 1);
      const destroy = args.includes("--destroy") || env.PHASE === "destroy";
      push(args.includes("--dev") || args.includes("--local") ? "dev" : destroy ? "destroy" : "up", args);
      continue;
    }

    // A package script: expand it, with the arguments passed after it.
    if (depth < 3) {
      const runner = PACKAGE_RUN.find((p) => startsWith(tokens, p));
      if (runner) {
        const name = tokens[runner.length];
        const body = name ? scripts(name) : undefined;
        if (name && body !== undefined) {
          const extra = tokens.slice(runner.length + 1).filter((t) => t !== "--");
          for (const inner of findAlchemyInvocations(body, scripts, depth + 1)) {
            const stage = stageFlag(extra) ?? inner.stage ?? inlineStage;
            found.push({ phase: inner.phase, ...(stage !== undefined ? { stage } : {}), command, lineIndex, script: inner.script ?? name });
          }
        }
      }
    }
  }
  return found;
}
