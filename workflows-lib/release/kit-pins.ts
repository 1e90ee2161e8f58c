/**
 * References to the kit itself (`alchkit/alchkit@ref`, `alchkit/alchkit/actions/<name>@ref`,
 * `alchkit/alchkit/.github/workflows/<file>@ref`) in workflow files, action manifests and docs. A release pins
 * them all to its own immutable version, so a consumer on `@v1` never runs actions of another version.
 */
// The ref ends with a letter or digit so sentence punctuation after it (`@v1.`) stays outside.
const KIT_REF = /\balchkit\/alchkit((?:\/[A-Za-z0-9._-]+)*)@([A-Za-z0-9._\/-]*[A-Za-z0-9_-])/g;

export interface KitRef {
  path: string;
  ref: string;
}

export function kitRefs(text: string): KitRef[] {
  return [...text.matchAll(KIT_REF)].map((m) => ({ path: m[1] ?? "", ref: m[2]! }));
}

export function pinKitRefs(text: string, tag: string): string {
  return text.replace(KIT_REF, (_all, path: string) => `alchkit/alchkit${path}@${tag}`);
}

/** Files whose kit references a release pins: workflows, action manifests, markdown. */
export function isPinnedFile(path: string): boolean {
  return (
    /^\.github\/workflows\/[^/]+\.ya?ml$/.test(path) ||
    /(^|\/)action\.ya?ml$/.test(path) ||
    (/\.md$/.test(path) && !/(^|\/)(node_modules|dist)\//.test(path))
  );
}
