// Fault injection: rules per route that make the stand-in answer like a GitHub having a bad day.
// Probabilities draw from a seeded RNG, so a fault campaign replays exactly with the same seed.
// The Cloudflare stand-in (test/cloudflare/) uses the same rules with its own operations.

/** What a rule matches against: the operation id and path template of the call, when it has one. */
export interface FaultTarget {
  operationId: string;
  template: string;
}

export type FaultKind =
  | 500
  | 502
  | 503
  /** 403 "You have exceeded a secondary rate limit" with `retry-after`. */
  | "secondary-rate-limit"
  /** 429 with `retry-after` and an exhausted primary rate limit (`x-ratelimit-remaining: 0`). */
  | 429
  /** The socket is destroyed before anything happens: the write did not take place. */
  | "reset"
  /** The write takes place, then the socket is destroyed before the answer: how duplicates arise. */
  | "reset-after-write"
  /** The call is answered normally after `latencyMs`. */
  | "latency";

export interface FaultSpec {
  /**
   * Which calls: an operation id (`issues/create-comment`), `METHOD /template`
   * (`POST /repos/{owner}/{repo}/issues/{issue_number}/comments`), `METHOD *` or `*` for all.
   */
  route: string;
  kind: FaultKind;
  /** Fault the next N matching calls (default: every matching call, subject to `probability`). */
  times?: number;
  /** Fault each matching call with this probability (0..1), drawn from the seeded RNG. */
  probability?: number;
  /** Seconds in `retry-after` for rate limits (default 1). */
  retryAfter?: number;
  /** Delay for `latency` (default 100 ms). */
  latencyMs?: number;
}

export interface FaultRule extends FaultSpec {
  /** Calls this rule has faulted so far. */
  hits: number;
  remove(): void;
}

/** mulberry32: small, fast, good enough to draw reproducible fault decisions. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function routeMatches(route: string, method: string, operation: FaultTarget | undefined): boolean {
  if (route === "*") return true;
  if (operation && route === operation.operationId) return true;
  const space = route.indexOf(" ");
  if (space < 0) return false;
  const routeMethod = route.slice(0, space).toUpperCase();
  const template = route.slice(space + 1);
  if (routeMethod !== method.toUpperCase()) return false;
  return template === "*" || (operation !== undefined && template === operation.template);
}

export class Faults {
  private rules: FaultRule[] = [];
  private random: () => number;

  constructor(seed: number) {
    this.random = seededRandom(seed);
  }

  /** Restarts the RNG (e.g. before each run of a campaign). */
  reseed(seed: number): void {
    this.random = seededRandom(seed);
  }

  add(spec: FaultSpec): FaultRule {
    if (spec.probability !== undefined && (spec.probability < 0 || spec.probability > 1)) {
      throw new Error(`stand-in: fault probability must be within 0..1, got ${spec.probability}`);
    }
    const rule: FaultRule = {
      ...spec,
      hits: 0,
      remove: () => {
        this.rules = this.rules.filter((r) => r !== rule);
      },
    };
    this.rules.push(rule);
    return rule;
  }

  clear(): void {
    this.rules = [];
  }

  get active(): readonly FaultRule[] {
    return this.rules;
  }

  /** The fault for this call, if any (first matching rule that fires). */
  pick(method: string, operation: FaultTarget | undefined): FaultRule | undefined {
    for (const rule of this.rules) {
      if (!routeMatches(rule.route, method, operation)) continue;
      if (rule.times !== undefined && rule.hits >= rule.times) continue;
      if (rule.probability !== undefined && this.random() >= rule.probability) continue;
      rule.hits++;
      return rule;
    }
    return undefined;
  }
}
