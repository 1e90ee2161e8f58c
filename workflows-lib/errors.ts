/**
 * Errors every shell (action main.ts, CLI command) knows how to report.
 * An InputError is the user's mistake: one message naming the input and what was expected, exit 2 in the CLI,
 * `::error::` in an action, and nothing written. A GateFailure is a gate that ran and said no (exit 1).
 */
export class InputError extends Error {
  readonly input: string;
  readonly expected: string;
  constructor(input: string, expected: string, detail?: string) {
    super(`${input}: expected ${expected}${detail ? ` (${detail})` : ""}`);
    this.name = "InputError";
    this.input = input;
    this.expected = expected;
  }
}

export class GateFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = "GateFailure";
  }
}

/** Exit codes shared by every CLI command. */
export const EXIT = { ok: 0, gateFailed: 1, badInput: 2 } as const;

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
