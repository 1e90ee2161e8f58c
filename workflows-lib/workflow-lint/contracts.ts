/**
 * Contract checks between our action.yml files, our reusable workflows and the places that use them:
 * every input passed is declared, every required input is passed. Pure: parsed YAML in, problems out.
 */
export interface ContractProblem {
  file: string;
  message: string;
}

export interface ActionManifest {
  name?: string;
  description?: string;
  inputs?: Record<string, { description?: string; required?: boolean; default?: unknown } | null>;
  outputs?: Record<string, { description?: string; value?: string } | null>;
  runs?: { using?: string; main?: string; steps?: unknown[] };
}

export interface ReusableWorkflow {
  on?: { workflow_call?: { inputs?: Record<string, { required?: boolean; default?: unknown; description?: string; type?: string } | null>; secrets?: Record<string, { required?: boolean; description?: string } | null>; outputs?: Record<string, { description?: string }> } };
}

/** What every action.yml of the kit must say about itself. */
export function checkActionManifest(file: string, manifest: ActionManifest): ContractProblem[] {
  const problems: ContractProblem[] = [];
  const say = (message: string) => problems.push({ file, message });
  if (!manifest.name) say("has no `name`");
  if (!manifest.description) say("has no `description`");
  for (const [name, spec] of Object.entries(manifest.inputs ?? {})) if (!spec?.description) say(`input \`${name}\` has no description`);
  for (const [name, spec] of Object.entries(manifest.outputs ?? {})) if (!spec?.description) say(`output \`${name}\` has no description`);
  // The runner evaluates `${{ }}` in a manifest's descriptions too, with no context: an example such as
  // `${{ secrets.X }}` fails the action's loading ("Unrecognized named-value: 'secrets'") before any step runs.
  const descriptions: Array<[string, unknown]> = [
    ["the description", manifest.description],
    ...Object.entries(manifest.inputs ?? {}).map(([name, spec]): [string, unknown] => [`input \`${name}\`'s description`, spec?.description]),
    ...Object.entries(manifest.outputs ?? {}).map(([name, spec]): [string, unknown] => [`output \`${name}\`'s description`, spec?.description]),
  ];
  for (const [what, text] of descriptions) {
    if (typeof text === "string" && text.includes("${{")) say(`${what} holds \`\${{ }}\`, which the runner evaluates with no context: the action fails to load`);
  }
  const using = manifest.runs?.using;
  if (using === "node24") {
    if (!manifest.runs?.main) say("runs.using node24 without `runs.main`");
  } else if (using === "composite") {
    if (!Array.isArray(manifest.runs?.steps) || manifest.runs.steps.length === 0) say("composite action without steps");
  } else {
    say(`runs.using is \`${String(using)}\`; expected \`node24\` or \`composite\``);
  }
  return problems;
}

type Resolver<T> = (uses: string) => T | undefined;

interface Step {
  uses?: string;
  with?: Record<string, unknown>;
}

interface Job {
  uses?: string;
  with?: Record<string, unknown>;
  secrets?: Record<string, unknown> | "inherit";
  steps?: Step[];
}

/**
 * Checks every `uses:` in a workflow (steps and reusable-workflow jobs) or a composite action (steps) that
 * resolves to one of ours.
 */
export function checkUsesContracts(
  file: string,
  document: { jobs?: Record<string, Job>; runs?: { steps?: Step[] } },
  resolveAction: Resolver<ActionManifest>,
  resolveWorkflow: Resolver<ReusableWorkflow>,
): ContractProblem[] {
  const problems: ContractProblem[] = [];
  const steps: Array<{ where: string; step: Step }> = [];
  for (const [id, job] of Object.entries(document.jobs ?? {})) {
    (job.steps ?? []).forEach((step, i) => steps.push({ where: `jobs.${id}.steps[${i}]`, step }));
    if (job.uses) {
      const workflow = resolveWorkflow(job.uses);
      if (workflow) problems.push(...checkWorkflowCall(file, `jobs.${id}`, job, workflow));
    }
  }
  (document.runs?.steps ?? []).forEach((step, i) => steps.push({ where: `runs.steps[${i}]`, step }));
  for (const { where, step } of steps) {
    if (!step.uses) continue;
    const manifest = resolveAction(step.uses);
    if (!manifest) continue;
    const declared = manifest.inputs ?? {};
    const given = step.with ?? {};
    for (const name of Object.keys(given)) {
      if (!(name in declared)) problems.push({ file, message: `${where}: \`${step.uses}\` has no input \`${name}\`` });
    }
    for (const [name, spec] of Object.entries(declared)) {
      if (spec?.required === true && spec.default === undefined && !(name in given)) {
        problems.push({ file, message: `${where}: \`${step.uses}\` needs input \`${name}\`` });
      }
    }
  }
  return problems;
}

function checkWorkflowCall(file: string, where: string, job: Job, workflow: ReusableWorkflow): ContractProblem[] {
  const problems: ContractProblem[] = [];
  const call = workflow.on?.workflow_call ?? {};
  const inputs = call.inputs ?? {};
  for (const name of Object.keys(job.with ?? {})) {
    if (!(name in inputs)) problems.push({ file, message: `${where}: \`${job.uses}\` has no input \`${name}\`` });
  }
  for (const [name, spec] of Object.entries(inputs)) {
    if (spec?.required === true && spec.default === undefined && !(name in (job.with ?? {}))) {
      problems.push({ file, message: `${where}: \`${job.uses}\` needs input \`${name}\`` });
    }
  }
  if (job.secrets && job.secrets !== "inherit") {
    const secrets = call.secrets ?? {};
    for (const name of Object.keys(job.secrets)) {
      if (!(name in secrets)) problems.push({ file, message: `${where}: \`${job.uses}\` declares no secret \`${name}\`` });
    }
  }
  return problems;
}

/** `alchkit/alchkit/actions/<name>@ref`, `./actions/<name>` → `<name>`; the root setup action → "". */
export function ownActionName(uses: string): string | undefined {
  const remote = /^alchkit\/alchkit(?:\/actions\/([a-z0-9-]+))?@[^\s]+$/.exec(uses);
  if (remote) return remote[1] ?? "";
  const local = /^\.\/actions\/([a-z0-9-]+)\/?$/.exec(uses);
  return local ? local[1] : undefined;
}

/** `alchkit/alchkit/.github/workflows/<file>@ref` or `./.github/workflows/<file>` → `<file>`. */
export function ownWorkflowFile(uses: string): string | undefined {
  const m = /^(?:alchkit\/alchkit\/|\.\/)\.github\/workflows\/([A-Za-z0-9._-]+\.ya?ml)(?:@[^\s]+)?$/.exec(uses);
  return m ? m[1] : undefined;
}

