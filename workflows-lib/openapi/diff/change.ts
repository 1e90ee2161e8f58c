// A change as the checks find it, before its level is settled: the rule id, what the text says, the
// operation, and what the level depends on (the document states seen where it was found, whether it sits
// below an allOf that was compared member by member, and the schema node it was read from).
import type { SchemaDiff } from "./schema-diff.ts";
import type { RuleLevel } from "./rules.ts";

export interface OperationRef {
  method: string;
  path: string;
  operationId?: string;
}

export interface TextDetail {
  name?: string;
  from?: unknown;
  to?: unknown;
  value?: unknown;
  where?: string;
  note?: string;
}

export interface RawChange {
  id: string;
  text: TextDetail;
  op?: OperationRef;
  source?: { base?: string; revision?: string };
  /** Document states at the change's location ("read-only", "write-only") that may lower its level. */
  guards?: readonly string[];
  /** Found inside an allOf compared member by member: a sibling may still say what changed, so at most a warning. */
  allOf?: boolean;
  /** The schema node the change was read from, for the reshapings that explain it (schema-rules claims). */
  schema?: SchemaDiff;
  /** A level the check sets itself instead of the rule table's (security scheme checks do). */
  level?: RuleLevel;
}

export type Sink = (change: RawChange) => void;
