/**
 * The `Platform` port: where a use-case reports. Two adapters: GitHub (`github/github-platform.ts`: PR
 * comments, Deployments API, step summary) and local (`local/local-platform.ts`: markdown files in
 * `.alchkit/out/`, a deployment log in `.alchkit/`). Use-cases never know which one they talk to.
 */

export interface StickyComment {
  id?: string;
  url?: string;
  /** The body as found, marker included. */
  body: string;
}

export interface CommentPort {
  /** The sticky comment of this purpose on the current PR, if there is one. */
  read(purpose: string): Promise<StickyComment | undefined>;
  /** Creates or updates it; `previous` is what `read` returned (saves a lookup). */
  write(purpose: string, body: string, previous?: StickyComment): Promise<{ id?: string; url?: string }>;
}

export type DeploymentState = "queued" | "in_progress" | "success" | "failure" | "error" | "inactive";

export interface DeploymentRequest {
  environment: string;
  /** Commit SHA (or ref) deployed. */
  ref: string;
  description?: string;
  /** Preview environments: GitHub may remove them when they become inactive. */
  transient: boolean;
  production: boolean;
  payload?: Record<string, unknown>;
  /**
   * Id of the deployment of this environment and ref from an earlier attempt of the same run: reused only when
   * it really is a deployment of this environment and ref (the id may come from a comment), else a new one.
   */
  existingId?: string;
}

export interface DeploymentStatusUpdate {
  state: DeploymentState;
  /**
   * Write the status only if the deployment belongs to this environment (for ids remembered in a comment,
   * which the kit does not alone control): a status is never written to another environment's deployment.
   */
  onlyIn?: string;
  environmentUrl?: string;
  logUrl?: string;
  description?: string;
}

export interface DeploymentPort {
  create(request: DeploymentRequest): Promise<{ id: string }>;
  /** Resolves false when `onlyIn` refused the write. */
  setStatus(id: string, update: DeploymentStatusUpdate): Promise<boolean>;
  /** Marks every deployment of the environment that is not inactive yet as inactive; returns how many. */
  deactivateAll(environment: string, logUrl?: string): Promise<number>;
}

export interface SummaryPort {
  /** Appends markdown to the step summary (GitHub) or `.alchkit/out/summary.md` (local). */
  append(markdown: string): Promise<void>;
}

export interface Platform {
  readonly kind: "github" | "local";
  comments: CommentPort;
  deployments: DeploymentPort;
  summary: SummaryPort;
}
