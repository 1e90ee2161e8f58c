/**
 * The `Runtime` port: where an Alchemy app runs. Two adapters implement it:
 * `createCloudflareRuntime` (alchemy deploy/destroy on Cloudflare) and `createLocalRuntime` (alchemy dev on
 * workerd). Previews and promotion take a Runtime and never know which one they drive.
 */

export interface DeployedResource {
  /** Fully-qualified name `<app>/<stage>/<id>`, as `alchemy state list` prints it. */
  fqn: string;
  /** Alchemy's resource kind, e.g. `cloudflare::Worker`. */
  kind: string;
  /** The provider-side name, e.g. the Worker script name `consumer-app-api-pr-1`. */
  name: string;
  url?: string;
}

export interface Deployment {
  stage: string;
  resources: DeployedResource[];
  /** `{<resource id>: url}` for every resource with a URL, e.g. `{ api: "https://…workers.dev" }`. */
  urls: Record<string, string>;
}

export interface UpOptions {
  stage: string;
  /** Alchemy profile (`--profile`); without one the Cloudflare runtime uses CLOUDFLARE_* from the env. */
  profile?: string;
  /** Env file loaded into alchemy.run.ts (`--env-file`): per-environment settings. */
  envFile?: string;
  /** Only this app of a monorepo (`--app`). */
  app?: string;
  /** Adopt resources that exist but are not in state (`--adopt`). */
  adopt?: boolean;
  /** Extra variables for alchemy.run.ts, e.g. `{ BUILD_ID: sha }`. */
  vars?: Record<string, string>;
}

export interface DownOptions {
  stage: string;
  profile?: string;
  envFile?: string;
  app?: string;
  /** Stages that must never be destroyed. Default `prod`, `production`, `staging`. */
  protectedStages?: readonly string[];
}

export interface DestroyReport {
  stage: string;
  /** Resources still in state after destroying (empty when everything went). */
  leftovers: string[];
}

export interface Runtime {
  readonly kind: "cloudflare" | "local";
  /** Deploys (or starts) the stage and returns what runs, with URLs. */
  up(options: UpOptions): Promise<Deployment>;
  /** Destroys the stage, verifies its state is empty and throws naming leftovers otherwise. */
  down(options: DownOptions): Promise<DestroyReport>;
  /** Reads what the stage has from Alchemy's state. */
  read(options: { stage: string; profile?: string; app?: string }): Promise<Deployment>;
}
