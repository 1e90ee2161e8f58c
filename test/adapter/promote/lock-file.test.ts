import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { once } from "node:events";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { acquireLockFile } from "../../../workflows-lib/local/lock-file.ts";

const lockModule = fileURLToPath(new URL("../../../workflows-lib/local/lock-file.ts", import.meta.url));

/** Another process that takes the lock, says so on stdout, and holds it until killed. */
async function holdInChild(path: string) {
  const child = spawn(
    process.execPath,
    [
      "--input-type=module",
      "-e",
      `const { acquireLockFile } = await import(${JSON.stringify(lockModule)});
       await acquireLockFile(${JSON.stringify(path)}, { purpose: "promote production" });
       console.log("locked");
       setInterval(() => {}, 1000);`,
    ],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  const [chunk] = (await once(child.stdout!, "data")) as [Buffer];
  assert.equal(chunk.toString().trim(), "locked");
  return child;
}

test("lock file: a second taker waits for a live holder in another process and gets the lock when it ends", async (t) => {
  const dir = await mkdtemp(join(tmpdir(), "alchkit-lock-"));
  const path = join(dir, "locks", "production.lock");
  const child = await holdInChild(path);
  t.after(async () => {
    child.kill("SIGKILL");
    await rm(dir, { recursive: true, force: true });
  });
  const holder = JSON.parse(await readFile(path, "utf8"));
  assert.equal(holder.pid, child.pid);
  assert.equal(holder.purpose, "promote production");

  const waited: string[] = [];
  let acquired = false;
  const taking = acquireLockFile(path, { purpose: "second", pollMs: 20, onWait: (who) => waited.push(who) }).then(
    (release) => {
      acquired = true;
      return release;
    },
  );
  await new Promise((resolve) => setTimeout(resolve, 300));
  assert.equal(acquired, false, "must wait while the holder lives");
  assert.equal(waited.length, 1);
  assert.match(waited[0]!, new RegExp(`promote production \\(pid ${child.pid} `));

  // The holder dies without releasing (crash): its lock is stale and is broken.
  child.kill("SIGKILL");
  await once(child, "exit");
  const release = await taking;
  assert.equal(JSON.parse(await readFile(path, "utf8")).pid, process.pid);
  await release();
  assert.equal(existsSync(path), false, "release removes the lock file");
});

test("lock file: in one process, takers are served one at a time; a timeout names the holder", async (t) => {
  const dir = await mkdtemp(join(tmpdir(), "alchkit-lock-"));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const path = join(dir, "staging.lock");
  const order: string[] = [];
  let inside = 0;
  await Promise.all(
    ["a", "b", "c"].map(async (name) => {
      const release = await acquireLockFile(path, { purpose: name, pollMs: 5 });
      inside++;
      assert.equal(inside, 1, "never two holders at once");
      order.push(name);
      await new Promise((resolve) => setTimeout(resolve, 30));
      inside--;
      await release();
    }),
  );
  assert.equal(order.length, 3);

  const release = await acquireLockFile(path, { purpose: "long deploy" });
  await assert.rejects(acquireLockFile(path, { purpose: "impatient", timeoutMs: 50, pollMs: 10 }), /long deploy/);
  await release();
  // A lock file that holds nothing readable and is old is abandoned: it does not block forever.
  await writeFile(path, "");
  const { utimes } = await import("node:fs/promises");
  await utimes(path, new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));
  await (await acquireLockFile(path, { purpose: "after crash", timeoutMs: 2_000 }))();
});
