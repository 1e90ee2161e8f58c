/** The request header that reaches one version of a Worker directly, whatever the deployment's split. */
export const OVERRIDE_HEADER = "Cloudflare-Workers-Version-Overrides";

/** `<script>="<version id>"` (a structured-field dictionary member). */
export const overrideValue = (script: string, versionId: string): string => `${script}="${versionId}"`;

/** The version a request's override header names for `script`, if any. */
export function overriddenVersion(header: string | string[] | undefined, script: string): string | undefined {
  const text = Array.isArray(header) ? header.join(",") : header;
  if (!text) return undefined;
  for (const member of text.split(",")) {
    const match = /^\s*([a-z*][a-z0-9_\-.*]*)\s*=\s*"([^"\\]*)"\s*$/.exec(member);
    if (match && match[1] === script) return match[2];
  }
  return undefined;
}
