import { CONFIG_FILE, SCHEMA_URL, type AlchkitConfig } from "../config/config-schema.ts";

/** The files `alchkit init` writes into a consumer repository, rendered from what it detected. */
export interface InitContext {
  /** Tag of the kit the workflows call, e.g. `v1.2.3`. */
  kitRef: string;
  config: AlchkitConfig;
  /** false: the policy gate is turned off in the deploy and promote workflows (`init --skip-policy`). */
  policy?: boolean;
}

const KIT = "alchkit/alchkit";
const header = (what: string) => `# ${what}\n# Written by \`alchkit init\`; edit freely — init never overwrites a file that exists.\n`;

function secretsBlock(indent: string, names: string[]): string {
  return names.map((n) => `${indent}${n}: \${{ secrets.${n} }}`).join("\n");
}

const CLOUDFLARE_SECRETS = ["CLOUDFLARE_API_TOKEN", "CLOUDFLARE_ACCOUNT_ID", "ALCHEMY_PASSWORD", "ALCHEMY_STATE_TOKEN"];

export function previewWorkflow({ kitRef, config }: InitContext): string {
  return `${header("Preview deployment of every pull request; destroyed (and verified empty) when it closes.")}name: preview
on:
  pull_request:
    types: [opened, synchronize, reopened, closed]
permissions:
  contents: read
  pull-requests: write
  deployments: write
jobs:
  preview:
    uses: ${KIT}/.github/workflows/preview.yml@${kitRef}
    with:
      working-directory: ${config.app.directory}
      stage-prefix: ${config.preview.stagePrefix}
      health-path: ${config.preview.healthPath}
    secrets:
${secretsBlock("      ", CLOUDFLARE_SECRETS)}
`;
}

export function ciWorkflow({ kitRef }: InitContext): string {
  return `${header("CI over the packages a change affects. Require the check \"ci / summary\" on main.")}name: ci
on:
  pull_request:
  push:
    branches: [main]
permissions:
  contents: read
jobs:
  ci:
    uses: ${KIT}/.github/workflows/ci.yml@${kitRef}
`;
}

function envNames(config: AlchkitConfig): { staging: string; production: string } {
  const names = Object.keys(config.environments);
  return { staging: names.find((n) => /stag/i.test(n)) ?? names[0] ?? "staging", production: names.find((n) => /prod/i.test(n)) ?? names[1] ?? "production" };
}

/** `production=prod,staging=staging`, the mapping the promotion workflows take. */
function stagesOf(config: AlchkitConfig): string {
  return Object.entries(config.environments).map(([name, env]) => `${name}=${env.stage}`).join(",");
}

const PROMOTION_PERMISSIONS = `permissions:
  contents: read
  deployments: write
  statuses: read
  checks: read`;

/** A caller of one of the kit's promotion workflows (deploy, promote, rollback): same permissions and secrets. */
function promotionCaller(kitRef: string, job: "deploy" | "promote" | "rollback", on: string, withLines: string[]): string {
  return `${on}
${PROMOTION_PERMISSIONS}
jobs:
  ${job}:
    uses: ${KIT}/.github/workflows/${job}.yml@${kitRef}
    with:
${withLines.map((line) => `      ${line}`).join("\n")}
    secrets:
${secretsBlock("      ", CLOUDFLARE_SECRETS)}
`;
}

export function deployWorkflow({ kitRef, config, policy }: InitContext): string {
  const { staging } = envNames(config);
  return `${header(`Every push to main goes to ${staging}.`)}name: deploy
${promotionCaller(kitRef, "deploy", "on:\n  push:\n    branches: [main]", [
  `environment: ${staging}`,
  `stages: ${stagesOf(config)}`,
  `working-directory: ${config.app.directory}`,
  ...(policy === false ? ["policy: false"] : []),
])}`;
}

export function promoteWorkflow({ kitRef, config, policy }: InitContext): string {
  const { staging, production } = envNames(config);
  const on = `on:
  workflow_dispatch:
    inputs:
      sha:
        description: Commit to promote (default the one live and healthy on ${staging})
        required: false
        type: string`;
  return `${header(`Promote what runs on ${staging} to ${production}, behind the ${production} environment's required reviewers.`)}name: promote
${promotionCaller(kitRef, "promote", on, [
  `from: ${staging}`,
  `to: ${production}`,
  "sha: ${{ inputs.sha }}",
  `stages: ${stagesOf(config)}`,
  `working-directory: ${config.app.directory}`,
  ...(policy === false ? ["policy: false"] : []),
])}`;
}

export function rollbackWorkflow({ kitRef, config }: InitContext): string {
  const { production } = envNames(config);
  const on = `on:
  workflow_dispatch:
    inputs:
      environment:
        description: Environment to roll back
        required: true
        default: ${production}
        type: string
      to:
        description: Commit to go back to (default the previous good one)
        required: false
        type: string`;
  return `${header("One-command rollback: Actions → rollback → Run workflow.")}name: rollback
${promotionCaller(kitRef, "rollback", on, [
  "environment: ${{ inputs.environment }}",
  "sha: ${{ inputs.to }}",
  `stages: ${stagesOf(config)}`,
  `working-directory: ${config.app.directory}`,
])}`;
}

export function releaseWorkflow({ kitRef }: InitContext): string {
  return `${header("A pushed v* tag becomes a GitHub release; floating vX / vX.Y tags move; feeds are rebuilt.")}name: release
on:
  push:
    tags: ["v*"]
permissions:
  contents: write
jobs:
  release:
    uses: ${KIT}/.github/workflows/release.yml@${kitRef}
`;
}

export function k6Script(config: AlchkitConfig): string {
  return `// Load test for the load gate (k6). The target comes from the environment: BASE_URL (alchkit sets it to the
// preview's URL). Thresholds live in ${config.loadGate.thresholds} so the same file gates k6 and autocannon runs.
import http from "k6/http";
import { check } from "k6";

const thresholds = JSON.parse(open("./thresholds.json"));

export const options = {
  scenarios: {
    normal: { executor: "constant-vus", vus: 20, duration: "30s" },
  },
  thresholds,
};

export default function () {
  const res = http.get(\`\${__ENV.BASE_URL}${config.preview.healthPath}\`);
  check(res, { "status is 200": (r) => r.status === 200 });
}
`;
}

/** The same load for the built-in autocannon engine, so local runs use the same thresholds. */
export function autocannonScenario(config: AlchkitConfig): string {
  return `${JSON.stringify(
    { name: "normal", requests: [{ path: config.preview.healthPath }], connections: 4, duration: "10s" },
    null,
    2,
  )}\n`;
}

export function thresholdsFile(): string {
  return `${JSON.stringify(
    {
      http_req_duration: ["p(95)<200", "p(99)<500"],
      http_req_failed: ["rate<0.01"],
      "http_req_duration{status:200}": ["max<2000"],
    },
    null,
    2,
  )}\n`;
}

export function configFile(config: AlchkitConfig): string {
  return `${JSON.stringify({ $schema: SCHEMA_URL, ...config }, null, 2)}\n`;
}

export function readmeSection({ config }: InitContext): string {
  return `## Deployments (alchkit)

This repository ships its Alchemy app (\`${config.app.directory}/${config.app.entry}\`) with [alchkit](https://github.com/alchkit/alchkit):

- every pull request gets a preview deployment and one comment with its URL;
- CI runs for the packages a change affects; the check to require is **ci / summary**;
- pushes to \`main\` deploy to ${Object.keys(config.environments)[0] ?? "staging"}; **Actions → promote** moves that commit on,
  behind the environment's reviewers, and **Actions → rollback** goes back;
- tags \`v*\` become releases with RSS/Atom/JSON feeds.

Repository secrets: \`CLOUDFLARE_API_TOKEN\`, \`CLOUDFLARE_ACCOUNT_ID\`, \`ALCHEMY_PASSWORD\`, \`ALCHEMY_STATE_TOKEN\`.
Settings live in \`${CONFIG_FILE}\`. Run the pipeline locally with \`npx alchkit preview up --stage pr-1 --local\`.`;
}
