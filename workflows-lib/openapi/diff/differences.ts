// Where the engine reports something other than oasdiff, on purpose. Each entry is a small pair that
// shows the difference: the oracle suite (test/oracle) runs the real oasdiff on it and checks that both
// tools still report what is written here, and docs/openapi-rules.md lists the entries with their reasons.

export interface Difference {
  title: string;
  /** Why the engine does not follow oasdiff here. */
  reason: string;
  base: Record<string, unknown>;
  revision: Record<string, unknown>;
  /** What each tool reports on the pair: `rule-id level METHOD /path` (no operation: `rule-id level`). */
  oasdiff: string[];
  alchkit: string[];
}

const body = (version: string, schema: Record<string, unknown>) => ({
  openapi: version,
  info: { title: "Example", version: "1.0.0" },
  paths: {
    "/items": {
      post: {
        requestBody: { content: { "application/json": { schema: { type: "object", properties: { note: schema } } } } },
        responses: { "200": { description: "OK", content: { "application/json": { schema: { type: "object", properties: { note: schema } } } } } },
      },
    },
  },
});

export const DIFFERENCES: readonly Difference[] = [
  {
    title: "`nullable: true` and a `\"null\"` type member are the same thing",
    reason:
      "Moving a description from OpenAPI 3.0 to 3.1 rewrites `type: string, nullable: true` as `type: [string, \"null\"]`. " +
      "oasdiff reports that as became-not-nullable (an error for requests), although its own documentation " +
      "(docs/NULLABILITY.md) says it treats both forms as the same thing. The engine compares whether null is " +
      "accepted, whichever form says so, and reports nothing.",
    base: body("3.0.3", { type: "string", nullable: true }),
    revision: body("3.1.0", { type: ["string", "null"] }),
    oasdiff: [
      "request-property-became-not-nullable error POST /items",
      "response-property-became-not-nullable info POST /items",
      "api-version-not-bumped info",
    ],
    alchkit: [],
  },
];
