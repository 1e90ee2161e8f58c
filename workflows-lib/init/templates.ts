import path from "node:path";
import { CONFIG_FILE, SCHEMA_URL, type AlchkitConfig } from "../config/config-schema.ts";
import { environmentNames } from "./environment-names.ts";

/** `./thresholds.json`: `to` as k6's open() resolves it from the script `from` (both repository paths). */
function relativeFrom(from: string, to: string): string {
  const rel = path.posix.relative(path.posix.dirname(from), to);
  return rel.startsWith(".") ? rel : `./${rel}`;
}

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

/**
 * A value for generated YAML: double-quoted (JSON is valid YAML), and `${{` escaped the way GitHub documents, so
 * nothing from the configuration can become an expression GitHub evaluates.
 */
export function yamlValue(value: string): string {
  return JSON.stringify(value.split("${{").join("${{ '${{' }}"));
}

/** A reusable workflow of the kit, with the reason its tag is not a commit SHA (zizmor asks). */
function kitUses(file: string, kitRef: string): string {
  return `uses: ${KIT}/.github/workflows/${file}@${kitRef} # zizmor: ignore[unpinned-uses] an alchkit release tag; its release commit pins every action it uses to the same tag`;
}

function secretsBlock(indent: string, pairs: Array<[string, string]>): string {
  return pairs.map(([name, source]) => `${indent}${name}: \${{ secrets.${source} }}`).join("\n");
}

/** Preview credentials: repository secrets, preview-only (any same-repository pull request can use them). */
export const PREVIEW_SECRETS: Array<[string, string]> = [
  ["CLOUDFLARE_API_TOKEN", "PREVIEW_CLOUDFLARE_API_TOKEN"],
  ["CLOUDFLARE_ACCOUNT_ID", "CLOUDFLARE_ACCOUNT_ID"],
  ["ALCHEMY_PASSWORD", "PREVIEW_ALCHEMY_PASSWORD"],
  ["ALCHEMY_STATE_TOKEN", "PREVIEW_ALCHEMY_STATE_TOKEN"],
];

/**
 * Staging and production credentials: secrets of those GitHub environments. The kit's jobs run in the
 * environment, whose secrets replace what the caller passes, behind its deployment-branch rule and reviewers.
 */
export const ENVIRONMENT_SECRETS: Array<[string, string]> = [
  ["CLOUDFLARE_API_TOKEN", "CLOUDFLARE_API_TOKEN"],
  ["CLOUDFLARE_ACCOUNT_ID", "CLOUDFLARE_ACCOUNT_ID"],
  ["ALCHEMY_PASSWORD", "ALCHEMY_PASSWORD"],
  ["ALCHEMY_STATE_TOKEN", "ALCHEMY_STATE_TOKEN"],
];

export function previewWorkflow({ kitRef, config }: InitContext): string {
  return `${header("Preview deployment of every pull request; destroyed (and verified empty) when it closes.")}name: preview
on:
  pull_request:
    types: [opened, synchronize, reopened, closed]
permissions: {}
jobs:
  preview:
    name: preview
    ${kitUses("preview.yml", kitRef)}
    permissions:
      contents: read # check out the pull request
      pull-requests: write # the preview comment
      deployments: write # the preview's deployment and its statuses
    with:
      working-directory: ${yamlValue(config.app.directory)}
      stage-prefix: ${yamlValue(config.preview.stagePrefix)}
      health-path: ${yamlValue(config.preview.healthPath)}
    # Preview-only credentials (repository secrets): never production's.
    secrets:
${secretsBlock("      ", PREVIEW_SECRETS)}
`;
}

export function ciWorkflow({ kitRef }: InitContext): string {
  return `${header("CI over the packages a change affects. Require the check \"ci / summary\" on main.")}name: ci
on:
  pull_request:
  push:
    branches: [main]
permissions: {}
jobs:
  ci:
    name: ci
    ${kitUses("ci.yml", kitRef)}
    permissions:
      contents: read # check out the code
`;
}

/** `production=prod,staging=staging`, the mapping the promotion workflows take. */
function stagesOf(config: AlchkitConfig): string {
  return Object.entries(config.environments).map(([name, env]) => `${name}=${env.stage}`).join(",");
}

const PROMOTION_PERMISSIONS = `    permissions:
      contents: read # check out the commit
      deployments: write # the deployment record and its statuses (the ledger)
      statuses: read # required checks on the commit
      checks: read # required checks on the commit`;

/** A caller of one of the kit's promotion workflows (deploy, promote, rollback): same permissions and secrets. */
function promotionCaller(kitRef: string, job: "deploy" | "promote" | "rollback", on: string, withLines: string[]): string {
  return `${on}
permissions: {}
jobs:
  ${job}:
    name: ${job}
    ${kitUses(`${job}.yml`, kitRef)}
${PROMOTION_PERMISSIONS}
    with:
${withLines.map((line) => `      ${line}`).join("\n")}
    # Secrets of the target environment (Settings → Environments), never repository secrets: the kit's job runs
    # in that environment, whose secrets replace these values, behind its branch rule and reviewers.
    secrets:
${secretsBlock("      ", ENVIRONMENT_SECRETS)}
`;
}

export function deployWorkflow({ kitRef, config, policy }: InitContext): string {
  const { staging } = environmentNames(config);
  return `${header(`Every push to main goes to ${staging}.`)}name: deploy
${promotionCaller(kitRef, "deploy", "on:\n  push:\n    branches: [main]", [
  `environment: ${yamlValue(staging)}`,
  `stages: ${yamlValue(stagesOf(config))}`,
  `working-directory: ${yamlValue(config.app.directory)}`,
  ...(policy === false ? ["policy: false"] : []),
])}`;
}

export function promoteWorkflow({ kitRef, config, policy }: InitContext): string {
  const { staging, production } = environmentNames(config);
  const on = `on:
  workflow_dispatch:
    inputs:
      sha:
        description: ${yamlValue(`Commit to promote (default the one live and healthy on ${staging})`)}
        required: false
        type: string`;
  return `${header(`Promote what runs on ${staging} to ${production}, behind the ${production} environment's required reviewers.`)}name: promote
${promotionCaller(kitRef, "promote", on, [
  `from: ${yamlValue(staging)}`,
  `to: ${yamlValue(production)}`,
  "sha: ${{ inputs.sha }}",
  `stages: ${yamlValue(stagesOf(config))}`,
  `working-directory: ${yamlValue(config.app.directory)}`,
  ...(policy === false ? ["policy: false"] : []),
])}`;
}

export function rollbackWorkflow({ kitRef, config }: InitContext): string {
  const { production } = environmentNames(config);
  const on = `on:
  workflow_dispatch:
    inputs:
      environment:
        description: Environment to roll back
        required: true
        default: ${yamlValue(production)}
        type: string
      to:
        description: Commit to go back to (default the previous good one)
        required: false
        type: string`;
  return `${header("One-command rollback: Actions → rollback → Run workflow.")}name: rollback
${promotionCaller(kitRef, "rollback", on, [
  "environment: ${{ inputs.environment }}",
  "sha: ${{ inputs.to }}",
  `stages: ${yamlValue(stagesOf(config))}`,
  `working-directory: ${yamlValue(config.app.directory)}`,
])}`;
}

export function releaseWorkflow({ kitRef }: InitContext): string {
  return `${header("A pushed v* tag becomes a GitHub release; floating vX / vX.Y tags move; feeds are rebuilt.")}name: release
on:
  push:
    tags: ["v*"]
permissions: {}
jobs:
  release:
    name: release
    ${kitUses("release.yml", kitRef)}
    permissions:
      contents: write # the release, the floating tags and the feeds branch
`;
}

export function k6Script(config: AlchkitConfig): string {
  return `// Load test for the load gate (k6). The target comes from the environment: BASE_URL (alchkit sets it to the
// preview's URL). Thresholds live in ${JSON.stringify(config.loadGate.thresholds)}, so the same file gates k6 and autocannon runs.
import http from "k6/http";
import { check } from "k6";

const thresholds = JSON.parse(open(${JSON.stringify(relativeFrom(config.loadGate.script, config.loadGate.thresholds))}));

export const options = {
  scenarios: {
    normal: { executor: "constant-vus", vus: 20, duration: "30s" },
  },
  thresholds,
};

export default function () {
  const res = http.get(__ENV.BASE_URL + ${JSON.stringify(config.preview.healthPath)});
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
- pushes to \`main\` deploy to ${environmentNames(config).staging}; **Actions → promote** moves that commit on,
  behind the environment's reviewers, and **Actions → rollback** goes back;
- tags \`v*\` become releases with RSS/Atom/JSON feeds.

Secrets: \`PREVIEW_CLOUDFLARE_API_TOKEN\`, \`PREVIEW_ALCHEMY_PASSWORD\`, \`PREVIEW_ALCHEMY_STATE_TOKEN\` and
\`CLOUDFLARE_ACCOUNT_ID\` in the repository (previews only); \`CLOUDFLARE_API_TOKEN\`, \`ALCHEMY_PASSWORD\` and
\`ALCHEMY_STATE_TOKEN\` as secrets of the staging and production environments, never of the repository.
Settings live in \`${CONFIG_FILE}\`. Run the pipeline locally with \`npx alchkit preview up --stage pr-1 --local\`.`;
}
