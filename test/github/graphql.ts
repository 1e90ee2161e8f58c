// `POST /graphql`: the small part of GitHub's GraphQL API the kit uses — `minimizeComment` and
// `unminimizeComment` on issue comments (the sticky comment's hide-older mode), plus `node(id:)` and
// `viewer` to read them back. GraphQL is not in the REST description, so documents are parsed and
// checked here: unknown fields, bad arguments and syntax errors answer like GitHub and are violations.
import type { Json, JsonObject } from "./openapi.ts";
import type { Factories } from "./factories.ts";
import { nodeId } from "./factories.ts";
import type { CommentRecord, GitHubState, RepoRecord, UserRecord } from "./state.ts";

export type Value =
  | { kind: "var"; name: string }
  | { kind: "enum"; value: string }
  | { kind: "literal"; value: Json }
  | { kind: "list"; items: Value[] }
  | { kind: "object"; fields: Record<string, Value> };

export interface Field {
  alias: string;
  name: string;
  args: Record<string, Value>;
  selections: Selection[];
}
export type Selection = { kind: "field"; field: Field } | { kind: "inline"; typeName: string | null; selections: Selection[] };

export interface Document {
  operation: "query" | "mutation";
  selections: Selection[];
}

export class GraphQLError extends Error {}

const TOKEN = /\s*(?:(#[^\n]*)|(\.\.\.)|([!$():=@[\]{}|,])|("(?:[^"\\]|\\.)*")|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)|([_A-Za-z][_0-9A-Za-z]*))/y;

function tokenize(source: string): string[] {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  let index = 0;
  while (index < source.length) {
    if (/^\s*$/.test(source.slice(index))) break;
    TOKEN.lastIndex = index;
    const m = TOKEN.exec(source);
    if (!m) throw new GraphQLError(`Parse error on "${source.slice(index).trim().slice(0, 10)}"`);
    index = TOKEN.lastIndex;
    if (m[1]) continue;
    const token = m[2] ?? m[3] ?? m[4] ?? m[5] ?? m[6];
    if (token && token !== ",") tokens.push(token);
  }
  return tokens;
}

/** Parses one GraphQL operation (also used by the Cloudflare stand-in's analytics endpoint). */
export function parse(source: string): Document {
  const tokens = tokenize(source);
  let i = 0;
  const peek = (): string | undefined => tokens[i];
  const next = (): string => {
    const token = tokens[i++];
    if (token === undefined) throw new GraphQLError("Parse error on end of document");
    return token;
  };
  const expect = (token: string): void => {
    const got = next();
    if (got !== token) throw new GraphQLError(`Parse error on "${got}" (expected ${token})`);
  };
  const name = (): string => {
    const token = next();
    if (!/^[_A-Za-z]/.test(token)) throw new GraphQLError(`Parse error on "${token}" (expected a name)`);
    return token;
  };
  const value = (): Value => {
    const token = next();
    if (token === "$") return { kind: "var", name: name() };
    if (token === "[") {
      const items: Value[] = [];
      while (peek() !== "]") items.push(value());
      expect("]");
      return { kind: "list", items };
    }
    if (token === "{") {
      const fields: Record<string, Value> = {};
      while (peek() !== "}") {
        const key = name();
        expect(":");
        fields[key] = value();
      }
      expect("}");
      return { kind: "object", fields };
    }
    if (token.startsWith('"')) return { kind: "literal", value: JSON.parse(token) as string };
    if (/^-?\d/.test(token)) return { kind: "literal", value: Number(token) };
    if (token === "true" || token === "false") return { kind: "literal", value: token === "true" };
    if (token === "null") return { kind: "literal", value: null };
    if (/^[_A-Za-z]/.test(token)) return { kind: "enum", value: token };
    throw new GraphQLError(`Parse error on "${token}"`);
  };
  const selectionSet = (): Selection[] => {
    expect("{");
    const selections: Selection[] = [];
    while (peek() !== "}") {
      if (peek() === "...") {
        next();
        let typeName: string | null = null;
        if (peek() === "on") {
          next();
          typeName = name();
        } else throw new GraphQLError("Named fragments are not supported by the stand-in");
        selections.push({ kind: "inline", typeName, selections: selectionSet() });
        continue;
      }
      let alias = name();
      let fieldName = alias;
      if (peek() === ":") {
        next();
        fieldName = name();
      }
      const args: Record<string, Value> = {};
      if (peek() === "(") {
        next();
        while (peek() !== ")") {
          const key = name();
          expect(":");
          args[key] = value();
        }
        expect(")");
      }
      selections.push({ kind: "field", field: { alias, name: fieldName, args, selections: peek() === "{" ? selectionSet() : [] } });
    }
    expect("}");
    return selections;
  };

  let operation: Document["operation"] = "query";
  if (peek() === "query" || peek() === "mutation") {
    operation = next() as Document["operation"];
    if (peek() !== "(" && peek() !== "{") name();
    if (peek() === "(") {
      // Variable definitions: `$name: Type!` — types are not checked beyond syntax.
      next();
      while (peek() !== ")") next();
      expect(")");
    }
  } else if (peek() === "subscription") throw new GraphQLError("Subscriptions are not supported");
  const selections = selectionSet();
  if (i < tokens.length) throw new GraphQLError(`Parse error on "${tokens[i]}" (only one operation per document)`);
  return { operation, selections };
}

const CLASSIFIERS = ["SPAM", "ABUSE", "OFF_TOPIC", "OUTDATED", "DUPLICATE", "RESOLVED"];

interface Context {
  state: GitHubState;
  factories: Factories;
  variables: JsonObject;
  errors: JsonObject[];
  /** The account the token belongs to (`viewer`). */
  actor: UserRecord;
}

function resolveValue(value: Value, ctx: Context): Json {
  switch (value.kind) {
    case "var":
      if (!(value.name in ctx.variables)) throw new GraphQLError(`Variable $${value.name} is used but not provided`);
      return ctx.variables[value.name] ?? null;
    case "enum":
      return value.value;
    case "literal":
      return value.value;
    case "list":
      return value.items.map((item) => resolveValue(item, ctx));
    case "object":
      return Object.fromEntries(Object.entries(value.fields).map(([k, v]) => [k, resolveValue(v, ctx)]));
  }
}

function findComment(state: GitHubState, id: string): { repo: RepoRecord; comment: CommentRecord } | undefined {
  for (const repo of state.repos.values()) {
    for (const comment of repo.comments.values()) if (nodeId("IC", comment.id) === id) return { repo, comment };
  }
  return undefined;
}

type Resolver = (field: Field, ctx: Context, path: string[]) => Json;

function select(typeName: string, fields: Record<string, Resolver>, selections: Selection[], ctx: Context, path: string[]): JsonObject {
  const out: JsonObject = {};
  for (const selection of selections) {
    if (selection.kind === "inline") {
      if (selection.typeName === null || selection.typeName === typeName || (typeName === "IssueComment" && ["Minimizable", "Node", "Comment"].includes(selection.typeName))) {
        Object.assign(out, select(typeName, fields, selection.selections, ctx, path));
      }
      continue;
    }
    const { field } = selection;
    if (field.name === "__typename") {
      out[field.alias] = typeName;
      continue;
    }
    const resolver = fields[field.name];
    if (!resolver) throw new GraphQLError(`Field '${field.name}' doesn't exist on type '${typeName}'`);
    out[field.alias] = resolver(field, ctx, [...path, field.alias]);
  }
  return out;
}

function commentFields(repo: RepoRecord, comment: CommentRecord): Record<string, Resolver> {
  return {
    id: () => nodeId("IC", comment.id),
    databaseId: () => comment.id,
    body: () => comment.body,
    isMinimized: () => comment.minimized !== null,
    minimizedReason: () => comment.minimized?.reason ?? null,
    viewerCanMinimize: () => true,
    url: (_f, ctx) => String(ctx.factories.comment(repo, comment).html_url),
    createdAt: () => comment.createdAt,
    updatedAt: () => comment.updatedAt,
  };
}

function commentObject(field: Field, ctx: Context, path: string[], found: { repo: RepoRecord; comment: CommentRecord }): Json {
  return select("IssueComment", commentFields(found.repo, found.comment), field.selections, ctx, path);
}

function minimizeMutation(minimize: boolean): Resolver {
  return (field, ctx, path) => {
    const inputName = minimize ? "MinimizeCommentInput" : "UnminimizeCommentInput";
    const input = field.args.input ? resolveValue(field.args.input, ctx) : undefined;
    if (!input || typeof input !== "object" || Array.isArray(input)) {
      throw new GraphQLError(`Field '${field.name}' is missing required arguments: input`);
    }
    const allowed = minimize ? ["subjectId", "classifier", "clientMutationId"] : ["subjectId", "clientMutationId"];
    for (const key of Object.keys(input)) {
      if (!allowed.includes(key)) throw new GraphQLError(`InputObject '${inputName}' doesn't accept argument '${key}'`);
    }
    if (typeof input.subjectId !== "string") {
      throw new GraphQLError(`Argument 'subjectId' on InputObject '${inputName}' is required. Expected type ID!`);
    }
    if (minimize && (typeof input.classifier !== "string" || !CLASSIFIERS.includes(input.classifier))) {
      throw new GraphQLError(
        `Argument 'classifier' on InputObject '${inputName}' has an invalid value (${JSON.stringify(input.classifier ?? null)}). Expected type 'ReportedContentClassifiers!'.`,
      );
    }
    const found = findComment(ctx.state, input.subjectId);
    if (!found) {
      ctx.errors.push({ type: "NOT_FOUND", path, locations: [], message: `Could not resolve to a node with the global id of '${input.subjectId}'` });
      return null;
    }
    found.comment.minimized = minimize ? { reason: String(input.classifier).toLowerCase().replace("_", "-") } : null;
    const payload = minimize ? "minimizedComment" : "unminimizedComment";
    return select(
      minimize ? "MinimizeCommentPayload" : "UnminimizeCommentPayload",
      {
        clientMutationId: () => (typeof input.clientMutationId === "string" ? input.clientMutationId : null),
        [payload]: (f, c, p) => commentObject(f, c, p, found),
      },
      field.selections,
      ctx,
      path,
    );
  };
}

const mutationFields: Record<string, Resolver> = {
  minimizeComment: minimizeMutation(true),
  unminimizeComment: minimizeMutation(false),
};

const queryFields: Record<string, Resolver> = {
  node: (field, ctx, path) => {
    const id = field.args.id ? resolveValue(field.args.id, ctx) : undefined;
    if (typeof id !== "string") throw new GraphQLError("Field 'node' is missing required arguments: id");
    const found = findComment(ctx.state, id);
    return found ? commentObject(field, ctx, path, found) : null;
  },
  // The token's account: a bot (an app installation's token, GITHUB_TOKEN) is typed `Bot`.
  viewer: (field, ctx, path) =>
    select(
      ctx.actor.type === "Bot" ? "Bot" : "User",
      { login: () => ctx.actor.login, databaseId: () => ctx.actor.id, id: (_f, c) => String(c.factories.user(c.actor).node_id) },
      field.selections,
      ctx,
      path,
    ),
};

export interface GraphQLOutcome {
  body: JsonObject;
  /** Set when the document was wrong (a violation: the kit sent something GitHub would reject). */
  problem?: string;
}

export function executeGraphQL(state: GitHubState, factories: Factories, request: JsonObject, actor: UserRecord = state.viewer): GraphQLOutcome {
  const query = request.query;
  if (typeof query !== "string") {
    const message = "A query attribute must be specified and must be a string.";
    return { body: { errors: [{ message }] }, problem: message };
  }
  const variables = (request.variables && typeof request.variables === "object" && !Array.isArray(request.variables) ? request.variables : {}) as JsonObject;
  const ctx: Context = { state, factories, variables, errors: [], actor };
  try {
    const doc = parse(query);
    const root = doc.operation === "mutation" ? mutationFields : queryFields;
    const data = select(doc.operation === "mutation" ? "Mutation" : "Query", root, doc.selections, ctx, []);
    return { body: ctx.errors.length > 0 ? { data, errors: ctx.errors } : { data } };
  } catch (error) {
    if (!(error instanceof GraphQLError)) throw error;
    return { body: { errors: [{ message: error.message, locations: [] }] }, problem: error.message };
  }
}
