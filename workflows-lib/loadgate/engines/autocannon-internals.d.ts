// autocannon's own building blocks, imported directly so the bundle leaves out its command line
// (progress bar, result tables, colours, worker threads, multipart forms), which the engine never uses.
declare module "autocannon/lib/defaultOptions.js" {
  const defaults: Record<string, unknown>;
  export default defaults;
}
declare module "autocannon/lib/run.js" {
  import type { EventEmitter } from "node:events";
  export default function run(opts: object, tracker: EventEmitter, cb: (error: Error | null, result: unknown) => void): EventEmitter;
}
