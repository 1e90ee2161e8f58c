/**
 * Sticky comments: one comment per PR and purpose, found again by a hidden marker. This module decides what
 * to do with the comments that carry the marker; `github/sticky-comment.ts` and `local/comment-file.ts` do it.
 */
export type StickyMode = "upsert" | "recreate" | "delete" | "hide-older";
export const STICKY_MODES: readonly StickyMode[] = ["upsert", "recreate", "delete", "hide-older"];

/** A purpose names what the comment is for ("preview", "openapi", …) and keys the marker. */
export const PURPOSE_PATTERN = /^[a-z0-9][a-z0-9._-]{0,63}$/;

export function stickyMarker(purpose: string): string {
  return `<!-- alchkit:sticky:${purpose} -->`;
}

export function hasMarker(body: string | null | undefined, purpose: string): boolean {
  return typeof body === "string" && body.includes(stickyMarker(purpose));
}

/** The body as posted: marker first (invisible), then the content. Re-marking an already marked body is a no-op. */
export function withMarker(body: string, purpose: string): string {
  const marker = stickyMarker(purpose);
  const content = body.split(marker).join("").replace(/^\n+/, "");
  return `${marker}\n${content}`;
}

export interface MarkedComment {
  id: number;
  body: string;
  minimized?: boolean;
}

export type StickyStep =
  | { kind: "create"; body: string }
  | { kind: "update"; id: number; body: string }
  | { kind: "keep"; id: number }
  | { kind: "delete"; id: number }
  | { kind: "hide"; id: number };

/**
 * Steps that bring the PR to exactly the state the mode asks for, given the marked comments found (oldest
 * first). Converges from any starting point, including duplicates left behind by an earlier failure.
 */
export function planSticky(mode: StickyMode, found: MarkedComment[], body: string): StickyStep[] {
  const [first, ...rest] = found;
  switch (mode) {
    case "upsert": {
      if (!first) return [{ kind: "create", body }];
      const head: StickyStep = first.body === body ? { kind: "keep", id: first.id } : { kind: "update", id: first.id, body };
      return [head, ...rest.map((c): StickyStep => ({ kind: "delete", id: c.id }))];
    }
    case "recreate":
      return [...found.map((c): StickyStep => ({ kind: "delete", id: c.id })), { kind: "create", body }];
    case "delete":
      return found.map((c): StickyStep => ({ kind: "delete", id: c.id }));
    case "hide-older":
      return [
        ...found.filter((c) => !c.minimized).map((c): StickyStep => ({ kind: "hide", id: c.id })),
        { kind: "create", body },
      ];
  }
}
