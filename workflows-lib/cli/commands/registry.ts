import type { CommandSpec } from "../command.ts";

/**
 * Where each `alchkit` command lives, in the order `alchkit --help` and docs/cli.md list them. Modules are
 * imported only when one of their commands runs: a command's dependencies (OpenAPI parser, load engine,
 * markdown renderer…) cost start-up time for the others. A test checks that `paths` match the modules.
 */
export interface CommandModule {
  paths: string[][];
  load(): Promise<CommandSpec[]>;
}

const as = (specs: unknown[]): CommandSpec[] => specs as CommandSpec[];

export const commandModules: CommandModule[] = [
  { paths: [["preview", "up"], ["preview", "down"]], load: async () => as((await import("./preview.ts")).previewCommands) },
  { paths: [["matrix"]], load: async () => as([(await import("./matrix.ts")).matrixCommand]) },
  { paths: [["load-gate", "run"], ["load-gate", "evaluate"]], load: async () => as((await import("./load-gate.ts")).loadGateCommands) },
  {
    paths: [["openapi", "generate"], ["openapi", "validate"], ["openapi", "diff"], ["openapi", "docs"]],
    load: async () => as((await import("./openapi.ts")).openapiCommands),
  },
  { paths: [["feed"]], load: async () => as([(await import("./feed.ts")).feedCommand]) },
  { paths: [["profile", "set"]], load: async () => as((await import("./profile.ts")).profileCommands) },
  { paths: [["deploy"], ["promote"], ["rollback"], ["ledger"]], load: async () => as((await import("./promote.ts")).promoteCommands) },
  { paths: [["env", "down"]], load: async () => as((await import("./env.ts")).envCommands) },
  { paths: [["policy", "check"]], load: async () => as((await import("./policy.ts")).policyCommands) },
  { paths: [["protect"]], load: async () => as([(await import("./protect.ts")).protectCommand]) },
  { paths: [["rollout"]], load: async () => as([(await import("./rollout.ts")).rolloutCommand]) },
  { paths: [["sweep"]], load: async () => as([(await import("./sweep.ts")).sweepCommand]) },
  { paths: [["create"]], load: async () => as([(await import("./create.ts")).createCommand]) },
  { paths: [["init"]], load: async () => as([(await import("./init.ts")).initCommand]) },
  { paths: [["doctor"]], load: async () => as([(await import("./doctor.ts")).doctorCommand]) },
  { paths: [["demo"]], load: async () => as([(await import("./demo.ts")).demoCommand]) },
  { paths: [["dashboard"]], load: async () => as([(await import("./dashboard.ts")).dashboardCommand]) },
  { paths: [["notify"]], load: async () => as([(await import("./notify.ts")).notifyCommand]) },
];

/** The module of the command argv names (longest matching path), if any. */
export function moduleFor(argv: string[]): CommandModule | undefined {
  let best: { module: CommandModule; length: number } | undefined;
  for (const module of commandModules) {
    for (const path of module.paths) {
      if (path.every((word, i) => argv[i] === word) && (!best || path.length > best.length)) best = { module, length: path.length };
    }
  }
  return best?.module;
}
