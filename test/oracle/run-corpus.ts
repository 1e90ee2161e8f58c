// Diffs every pair of the generated corpus with both tools and compares the findings. oasdiff runs in a
// few child processes — the batched schema pairs in composed mode, one process per batch, the others one
// process per pair — while alchkit's diffs run here in between (each pair yields to the event loop), so the
// two share the machine instead of queueing behind each other. Findings of batched pairs are told apart
// by their path prefix, which is then removed on both sides.
import { setImmediate as nextTurn } from "node:timers/promises";
import { alchkitDiff } from "./alchkit.ts";
import { batchDirs, buildCorpus, writeCorpus } from "./corpus/corpus.ts";
import type { WrittenPair } from "./corpus/corpus.ts";
import { comparePair } from "./findings.ts";
import type { Finding, PairComparison } from "./findings.ts";
import { oasdiffPool } from "./oasdiff.ts";

export interface CorpusRun {
  pairs: WrittenPair[];
  comparisons: PairComparison[];
  /** Wall time of the whole run, ms. */
  ms: number;
}

export async function runCorpus(options: { oasdiff: string; dir: string; today: string; concurrency: number; signal?: AbortSignal }): Promise<CorpusRun> {
  const start = performance.now();
  const pairs = writeCorpus(buildCorpus(options.today), options.dir);
  const pool = oasdiffPool(options.oasdiff, options.concurrency, options.dir);
  const stop = () => pool.stop();
  options.signal?.addEventListener("abort", stop);
  try {
    const single = pairs.map((pair) => (pair.prefix ? undefined : pool.changelog(pair.baseFile, pair.revisionFile)));
    const batches = batchDirs(options.dir).map((batch) => pool.composed(batch.baseDir, batch.revisionDir));
    // A rejection is awaited below; keep Node from reporting it as unhandled in the meantime.
    for (const promise of [...single, ...batches]) promise?.catch(() => {});
    const ours: Finding[][] = [];
    for (const pair of pairs) {
      ours.push(await alchkitDiff(pair.baseFile, pair.revisionFile, options.dir));
      await nextTurn();
    }
    const batched = new Map<string, Finding[]>();
    for (const batch of batches) {
      for (const finding of (await batch).findings) {
        const prefix = / (\/m\d{4})\//.exec(finding.operation)?.[1];
        if (!prefix) throw new Error(`oasdiff's composed run reported ${finding.id} ${finding.operation || "(no operation)"}, outside every pair`);
        batched.set(prefix, [...(batched.get(prefix) ?? []), finding]);
      }
    }
    const unprefix = (list: Finding[], prefix: string | undefined) => (prefix ? list.map((f) => ({ ...f, operation: f.operation.replace(` ${prefix}/`, " /") })) : list);
    const comparisons: PairComparison[] = [];
    for (const [index, pair] of pairs.entries()) {
      const theirs = pair.prefix ? batched.get(pair.prefix) ?? [] : (await single[index]!).findings;
      comparisons.push(comparePair(pair.name, unprefix(theirs, pair.prefix), unprefix(ours[index]!, pair.prefix)));
    }
    return { pairs, comparisons, ms: performance.now() - start };
  } finally {
    options.signal?.removeEventListener("abort", stop);
    pool.stop();
  }
}
