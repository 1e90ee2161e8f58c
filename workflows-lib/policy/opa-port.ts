/**
 * What the policy gate needs from OPA. The adapter (workflows-lib/local/opa-cli.ts) runs the real `opa`
 * binary; nothing here evaluates Rego itself.
 */

export interface OpaLocation {
  file: string;
  row: number;
  col?: number;
}

export interface OpaError {
  message: string;
  code: string;
  location?: OpaLocation;
}

export interface ParsedModule {
  file: string;
  /** Package path without `data`, e.g. ["alchkit", "library", "stage_isolation"]. */
  packagePath: string[];
  rules: { name: string; row: number }[];
}

export interface OpaLoadOptions {
  /** Files and folders loaded as policies and data (`-d`). */
  paths: string[];
  /** Names never loaded (`--ignore`), e.g. `*_test.rego`. */
  ignore: string[];
  /** Parse as Rego v0 (OPA before 1.0, conftest's old default). */
  v0: boolean;
}

export interface OpaPort {
  /** `opa version`: e.g. "1.22.3". */
  version(): Promise<string>;
  /** One module's package and rule names (`opa parse`), or the parse errors OPA reports. */
  parse(file: string, v0: boolean): Promise<ParsedModule | { errors: OpaError[] }>;
  /** Compiles everything `paths` loads and evaluates `query` against `input` (a JSON file): the bindings of the first result, or the compile or evaluation errors. */
  evaluate(query: string, options: OpaLoadOptions & { input: string }): Promise<{ bindings: Record<string, unknown> } | { errors: OpaError[] }>;
}

/** OPA could not run at all (missing binary, crashed): bad input for the gate, never a pass. */
export class OpaUnavailable extends Error {
  constructor(message: string) {
    super(message);
    this.name = "OpaUnavailable";
  }
}
