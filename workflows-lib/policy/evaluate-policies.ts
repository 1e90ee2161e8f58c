import { createHash } from "node:crypto";
import path from "node:path";
import { InputError } from "../errors.ts";
import { dataRef, exceptionName, readResult, ruleLevel, sortFindings, type Finding } from "./conftest-rules.ts";
import type { DeploymentFacts } from "./facts-schema.ts";
import { libraryFile, type LibrarySelection } from "./library.ts";
import type { OpaError, OpaLoadOptions, OpaPort, ParsedModule } from "./opa-port.ts";

/**
 * The policy gate: compiles the repository's policies (and the enabled library policies) with OPA, evaluates
 * every conftest-style rule against the facts in one `opa eval`, and returns the findings with the file and
 * rule each came from. A policy that does not compile or fails while evaluating is bad input (one error
 * naming file and line), never a pass.
 */

export interface PolicyFilesPort {
  /** Every file below `dir` (absolute paths); empty when `dir` does not exist. */
  list(dir: string): Promise<string[]>;
  readText(file: string): Promise<string>;
  writeText(file: string, text: string): Promise<void>;
}

export interface PolicyCheckRequest {
  /** The repository's policy folder (absolute); it may not exist when only library policies are enabled. */
  policyDir: string;
  /** Where the shipped library is (absolute). */
  libraryDir: string;
  library: LibrarySelection;
  facts: DeploymentFacts;
  /** A scratch folder for the files OPA reads (facts, parameters). */
  workDir: string;
  /** Paths in findings and errors are shown relative to this (the repository root). */
  displayRoot: string;
  /** Rego v0 syntax (conftest before 0.56 / OPA before 1.0). */
  regoV0?: boolean;
  /** How the shell calls the policy folder in errors (`--policy`, `policy-dir`). */
  policyInput?: string;
}

export interface PolicyResult {
  passed: boolean;
  findings: Finding[];
  /** `deny`/`violation` results turned off by an `exception` rule. */
  excepted: { policy: string; rule: string; namespace: string; message: string }[];
  /** Files evaluated (repository-relative; library files as `library/<id>.rego`). */
  policies: string[];
  namespaces: string[];
  opaVersion: string;
  /** sha256 of the facts exactly as OPA read them. */
  inputDigest: string;
  /** sha256 over every loaded policy and data file (path and content) and the library parameters. */
  policyDigest: string;
}

const TEST_FILE = "*_test.rego";
const isPolicyFile = (file: string) => file.endsWith(".rego") && !file.endsWith("_test.rego");
const isDataFile = (file: string) => /\.(json|ya?ml)$/.test(file);

/** Does the folder hold any policy (a .rego file that is not a test)? */
export async function hasPolicies(dir: string, files: PolicyFilesPort): Promise<boolean> {
  return (await files.list(dir)).some(isPolicyFile);
}

export const sha256 = (text: string): string => createHash("sha256").update(text).digest("hex");

/** The JSON text of the facts OPA reads, and so the one the input digest is taken of. */
export const factsText = (facts: DeploymentFacts): string => `${JSON.stringify(facts, null, 2)}\n`;

function located(error: OpaError, display: (file: string) => string): InputError {
  const where = error.location?.file ? `${display(error.location.file)}:${error.location.row}` : "policies";
  const kind = error.code === "rego_parse_error" || error.code.startsWith("rego_") ? "Rego that compiles" : "a policy that evaluates";
  return new InputError(where, kind, `${error.message.split("\n")[0]} [${error.code}]`);
}

export async function checkPolicies(request: PolicyCheckRequest, ports: { opa: OpaPort; files: PolicyFilesPort }): Promise<PolicyResult> {
  const display = (file: string): string => {
    const absolute = path.resolve(request.displayRoot, file);
    if (absolute.startsWith(request.libraryDir + path.sep)) return `library/${path.relative(request.libraryDir, absolute)}`;
    return path.relative(request.displayRoot, absolute) || file;
  };
  const userFiles = (await ports.files.list(request.policyDir)).sort();
  const userPolicies = userFiles.filter(isPolicyFile);
  const libraryFiles = Object.keys(request.library).sort().map((id) => libraryFile(request.libraryDir, id));
  const policyFiles = [...userPolicies, ...libraryFiles];
  if (policyFiles.length === 0) {
    throw new InputError(request.policyInput ?? "--policy", "a folder with .rego policies, or library policies enabled in alchkit.config.json", `${display(request.policyDir)} has none`);
  }

  await ports.files.writeText(path.join(request.workDir, "facts.json"), factsText(request.facts));
  const params = `${JSON.stringify({ alchkit: { params: request.library } }, null, 2)}\n`;
  const paramsFile = path.join(request.workDir, "params", "data.json");
  await ports.files.writeText(paramsFile, params);

  const v0 = request.regoV0 ?? false;
  const load: OpaLoadOptions = {
    paths: [...(userFiles.length > 0 ? [request.policyDir] : []), ...libraryFiles, paramsFile],
    ignore: [TEST_FILE],
    v0,
  };
  // OPA's version and every module's rules at once; a file that does not parse is reported with its line.
  const [opaVersion, ...parsed] = await Promise.all([ports.opa.version(), ...policyFiles.map((file) => ports.opa.parse(file, v0))]);
  const modules: ParsedModule[] = [];
  for (const module of parsed) {
    if ("errors" in module) throw located(module.errors[0]!, display);
    modules.push(module);
  }
  // One query for every rule of every namespace: `q0 := [r | some r in data.main.deny]` (an undefined rule is empty).
  const targets: { binding: string; packagePath: string[]; rule: string; file: string; line: number }[] = [];
  const exceptions: { binding: string; packagePath: string[] }[] = [];
  const seen = new Set<string>();
  for (const module of modules) {
    for (const rule of module.rules) {
      const key = `${module.packagePath.join(".")}#${rule.name}`;
      if (seen.has(key)) continue;
      if (ruleLevel(rule.name)) {
        seen.add(key);
        targets.push({ binding: `q${targets.length}`, packagePath: module.packagePath, rule: rule.name, file: module.file, line: rule.row });
      } else if (rule.name === "exception") {
        seen.add(key);
        exceptions.push({ binding: `e${exceptions.length}`, packagePath: module.packagePath });
      }
    }
  }
  const namespaces = [...new Set(modules.map((m) => m.packagePath.join(".")))].sort();
  const loaded = [...userFiles.filter((f) => isPolicyFile(f) || isDataFile(f)), ...libraryFiles];
  const loadedTexts = await Promise.all(loaded.map(async (file) => `${display(file)}\0${await ports.files.readText(file)}\0`));
  const policyDigest = sha256(loadedTexts.join("") + params);
  const inputDigest = sha256(factsText(request.facts));
  const base = {
    policies: policyFiles.map(display),
    namespaces,
    opaVersion,
    inputDigest,
    policyDigest,
  };
  // Evaluation compiles every loaded file too: a compile error anywhere (a helper included) is bad input.
  const query =
    [
      ...targets.map((t) => `${t.binding} := [r | some r in ${dataRef(t.packagePath, t.rule)}]`),
      ...exceptions.map((e) => `${e.binding} := [r | some r in ${dataRef(e.packagePath, "exception")}]`),
    ].join("; ") || "true";
  const evaluation = await ports.opa.evaluate(query, { ...load, input: path.join(request.workDir, "facts.json") });
  if ("errors" in evaluation) throw located(evaluation.errors[0]!, display);

  const excepts = new Map<string, Set<string>>();
  for (const e of exceptions) {
    const names = new Set<string>();
    for (const value of (evaluation.bindings[e.binding] as unknown[]) ?? []) {
      for (const name of Array.isArray(value) ? value : [value]) if (typeof name === "string") names.add(name);
    }
    excepts.set(e.packagePath.join("."), names);
  }
  const findings: Finding[] = [];
  const excepted: PolicyResult["excepted"] = [];
  for (const t of targets) {
    const level = ruleLevel(t.rule)!;
    const namespace = t.packagePath.join(".");
    const name = exceptionName(t.rule);
    const skip = level === "deny" && name !== undefined && excepts.get(namespace)?.has(name);
    for (const value of (evaluation.bindings[t.binding] as unknown[]) ?? []) {
      const { message, details } = readResult(value);
      if (skip) excepted.push({ policy: display(t.file), rule: t.rule, namespace, message });
      else findings.push({ policy: display(t.file), rule: t.rule, level, message, namespace, line: t.line, ...(details ? { details } : {}) });
    }
  }
  const sorted = sortFindings(findings);
  return { passed: !sorted.some((f) => f.level === "deny"), findings: sorted, excepted, ...base };
}
