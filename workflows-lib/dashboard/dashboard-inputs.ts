import { z } from "zod";
import { listInput } from "../validate.ts";

/** Inputs of `actions/dashboard`. */
export const dashboardInputs = z.object({
  out: z.string().min(1).default("dashboard-site"),
  branch: z.string().regex(/^[\w./-]+$/, { error: "a branch name, or none" }).default("gh-pages"),
  directory: z.string().regex(/^[\w./-]*$/, { error: "a folder inside the branch" }).default("dashboard"),
  siteUrl: z.url({ error: "an http(s) URL" }).optional(),
  production: listInput.optional(),
  trustedDeployers: listInput.default([]),
});
export type DashboardInputs = z.output<typeof dashboardInputs>;
