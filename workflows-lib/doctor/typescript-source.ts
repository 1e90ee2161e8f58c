import { parse } from "@babel/parser";

/**
 * TypeScript source as a syntax tree with line numbers (Babel's parser with its TypeScript plugin: 5 MB
 * installed, against 23 MB for the TypeScript compiler, and doctor only needs the syntax). Walking is generic:
 * the checks look at a handful of node types and their ancestors.
 */
export interface SyntaxNode {
  type: string;
  loc?: { start: { line: number; column: number } };
  [key: string]: unknown;
}

export interface ParsedSource {
  program: SyntaxNode;
  /** Syntax errors Babel recovered from; a file with one still yields what parsed. */
  errors: string[];
}

export function parseTypeScript(text: string): ParsedSource {
  const ast = parse(text, { sourceType: "module", plugins: ["typescript", "jsx", "decorators-legacy"], errorRecovery: true, allowAwaitOutsideFunction: true });
  return {
    program: ast.program as unknown as SyntaxNode,
    errors: (ast.errors ?? []).map((error) => String((error as { message?: string }).message ?? error)),
  };
}

function isNode(value: unknown): value is SyntaxNode {
  return typeof value === "object" && value !== null && typeof (value as { type?: unknown }).type === "string";
}

/** Every child node, in source order. */
export function childrenOf(node: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (const [key, value] of Object.entries(node)) {
    if (key === "loc" || key === "leadingComments" || key === "trailingComments" || key === "innerComments" || key === "extra") continue;
    if (Array.isArray(value)) {
      for (const item of value) if (isNode(item)) out.push(item);
    } else if (isNode(value)) out.push(value);
  }
  return out;
}

/** Visits every node with its ancestors (nearest last). */
export function walk(root: SyntaxNode, visit: (node: SyntaxNode, ancestors: readonly SyntaxNode[]) => void): void {
  const stack: SyntaxNode[] = [];
  const go = (node: SyntaxNode) => {
    visit(node, stack);
    stack.push(node);
    for (const child of childrenOf(node)) go(child);
    stack.pop();
  };
  go(root);
}

export const lineOf = (node: SyntaxNode | undefined): number | undefined => node?.loc?.start.line;

/** `x as T`, `x satisfies T`, `x!`, `(x)`, `await x` → x. */
export function unwrap(node: SyntaxNode | undefined): SyntaxNode | undefined {
  let current = node;
  while (current && ["TSAsExpression", "TSSatisfiesExpression", "TSNonNullExpression", "ParenthesizedExpression", "AwaitExpression", "TSTypeAssertion"].includes(current.type)) {
    current = (current.expression ?? current.argument) as SyntaxNode | undefined;
  }
  return current;
}

/** A literal string, or a template literal without substitutions. */
export function stringValue(node: SyntaxNode | undefined): string | undefined {
  const n = unwrap(node);
  if (!n) return undefined;
  if (n.type === "StringLiteral") return n.value as string;
  if (n.type === "TemplateLiteral" && (n.expressions as unknown[]).length === 0) {
    return ((n.quasis as SyntaxNode[])[0]?.value as { cooked?: string } | undefined)?.cooked;
  }
  return undefined;
}

/** The property `name` of an object literal (plain key or string key), if present. */
export function propertyOf(object: SyntaxNode | undefined, name: string): SyntaxNode | undefined {
  const o = unwrap(object);
  if (!o || o.type !== "ObjectExpression") return undefined;
  for (const prop of o.properties as SyntaxNode[]) {
    if (prop.type !== "ObjectProperty" || prop.computed) continue;
    const key = prop.key as SyntaxNode;
    if ((key.type === "Identifier" && key.name === name) || (key.type === "StringLiteral" && key.value === name)) return prop;
  }
  return undefined;
}

/** `process.env.NAME` or `process.env["NAME"]` → NAME. */
export function envVariable(node: SyntaxNode | undefined): string | undefined {
  const n = unwrap(node);
  if (!n || (n.type !== "MemberExpression" && n.type !== "OptionalMemberExpression")) return undefined;
  const object = n.object as SyntaxNode;
  const isEnv =
    (object.type === "MemberExpression" || object.type === "OptionalMemberExpression") &&
    (object.object as SyntaxNode).type === "Identifier" &&
    (object.object as SyntaxNode).name === "process" &&
    (object.property as SyntaxNode).type === "Identifier" &&
    (object.property as SyntaxNode).name === "env";
  if (!isEnv) return undefined;
  const property = n.property as SyntaxNode;
  if (!n.computed && property.type === "Identifier") return property.name as string;
  return stringValue(property);
}

/** `const x = <init>` declarations of the module's top level (and nested blocks), by name. */
export function constInitializers(program: SyntaxNode): Map<string, SyntaxNode> {
  const out = new Map<string, SyntaxNode>();
  walk(program, (node) => {
    if (node.type !== "VariableDeclaration" || node.kind !== "const") return;
    for (const declarator of node.declarations as SyntaxNode[]) {
      const id = declarator.id as SyntaxNode;
      if (id.type === "Identifier" && declarator.init && !out.has(id.name as string)) out.set(id.name as string, declarator.init as SyntaxNode);
    }
  });
  return out;
}

export interface ImportBinding {
  /** The module, e.g. `alchemy/cloudflare`. */
  source: string;
  /** The exported name, `default`, or `*` for a namespace import. */
  imported: string;
}

export function importsOf(program: SyntaxNode): Map<string, ImportBinding> {
  const out = new Map<string, ImportBinding>();
  for (const statement of program.body as SyntaxNode[]) {
    if (statement.type !== "ImportDeclaration") continue;
    const source = (statement.source as SyntaxNode).value as string;
    for (const specifier of statement.specifiers as SyntaxNode[]) {
      const local = (specifier.local as SyntaxNode).name as string;
      if (specifier.type === "ImportDefaultSpecifier") out.set(local, { source, imported: "default" });
      else if (specifier.type === "ImportNamespaceSpecifier") out.set(local, { source, imported: "*" });
      else {
        const imported = specifier.imported as SyntaxNode;
        out.set(local, { source, imported: (imported.type === "Identifier" ? imported.name : imported.value) as string });
      }
    }
  }
  return out;
}

/** Module specifiers a file imports or re-exports (static and dynamic with a literal). */
export function moduleSpecifiers(program: SyntaxNode): string[] {
  const out: string[] = [];
  walk(program, (node) => {
    if ((node.type === "ImportDeclaration" || node.type === "ExportNamedDeclaration" || node.type === "ExportAllDeclaration") && node.source) {
      out.push((node.source as SyntaxNode).value as string);
    } else if (node.type === "ImportExpression" || (node.type === "CallExpression" && (node.callee as SyntaxNode).type === "Import")) {
      const first = stringValue(((node.arguments as SyntaxNode[] | undefined)?.[0] ?? node.source) as SyntaxNode | undefined);
      if (first) out.push(first);
    }
  });
  return out;
}
