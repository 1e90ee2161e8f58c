import { finding, type Finding } from "./checks.ts";

/** One resource of a stage as Alchemy's state has it. */
export interface StateResource {
  /** `<app>/<stage>/<id…>`. */
  fqn: string;
  kind: string;
  /** The resource's `output` in the state document. */
  output: Record<string, unknown>;
}

export interface StageState {
  app: string;
  stage: string;
  resources: StateResource[];
  /** Where the state was read, for the message. */
  source: string;
}

/** The field of a resource's output Cloudflare knows it by: `name`, `title` (KV), `workflowName`. */
const NAME_FIELDS = ["name", "title", "workflowName", "bucketName", "databaseName", "queueName"];

export function physicalName(resource: StateResource): string | undefined {
  for (const field of NAME_FIELDS) {
    const value = resource.output[field];
    if (typeof value === "string" && value !== "") return value;
  }
  return undefined;
}

/** The resource's id within its stage: the fqn without `<app>/<stage>/`. */
const idOf = (resource: StateResource) => resource.fqn.split("/").slice(2).join("/");

/**
 * Two stages of one app whose resource has the same physical name: whatever the source says, they are one
 * Cloudflare resource. Needs two stages' state (a local `preview up` of two stages writes it).
 */
export function checkStageState(stages: StageState[], entryFileOf: (app: string) => string | undefined): Finding[] {
  const findings: Finding[] = [];
  const byApp = new Map<string, StageState[]>();
  for (const stage of stages) byApp.set(stage.app, [...(byApp.get(stage.app) ?? []), stage]);
  for (const [app, appStages] of byApp) {
    if (appStages.length < 2) continue;
    const names = new Map<string, Array<{ stage: string; id: string; kind: string }>>();
    for (const stage of appStages) {
      for (const resource of stage.resources) {
        const name = physicalName(resource);
        if (!name) continue;
        const key = `${resource.kind}\0${name}`;
        names.set(key, [...(names.get(key) ?? []), { stage: stage.stage, id: idOf(resource), kind: resource.kind }]);
      }
    }
    for (const [key, uses] of names) {
      const stagesUsing = [...new Set(uses.map((u) => u.stage))];
      if (stagesUsing.length < 2) continue;
      const name = key.split("\0")[1]!;
      const { id, kind } = uses[0]!;
      const file = entryFileOf(app);
      findings.push(
        finding(
          "shared-physical-name",
          file ? { file } : {},
          `The state of the stages ${stagesUsing.join(" and ")} of ${app} both hold ${kind.replace(/^cloudflare::/, "")} "${id}" as "${name}": on Cloudflare that is one resource for every stage.`,
          `Give "${id}" a name that contains the stage (\`\${app.stage}\`), or leave its name to Alchemy; then check again with two stages up (\`alchkit preview up --local --detach --stage pr-1\` and \`--stage pr-2\`).`,
        ),
      );
    }
  }
  return findings;
}
