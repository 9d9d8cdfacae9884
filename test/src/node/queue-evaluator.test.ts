import { type ChildProcess, execFile, execFileSync, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { Queue, QueueEvents, UnrecoverableError, Worker } from "bullmq";
import { afterAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import type { PoolTask } from "../../../src/node/evaluator-worker.js";
import { decodeTask, encodeTask, REFUSED } from "../../../src/node/queue-codec.js";
import {
  lastEventId,
  oncePerOutage,
  QUEUE_NAME,
  queueEvaluator,
  threadsListening,
  workerName,
} from "../../../src/node/queue-evaluator.js";
import { startQueueWorker } from "../../../src/node/queue-worker.js";
import type { Evaluator } from "../../../src/planner/evaluator.js";
import { runFlowJob } from "../../../src/planner/evaluator.js";
import type { FlowJob } from "../../../src/planner/types.js";
import { VERSION } from "../../../src/version.js";
import { timeless } from "../../helpers/timeless.js";

const run = promisify(execFile);
const root = new URL("../../..", import.meta.url).pathname;

/** Debian's redis-server (`apt-get install redis-server`; CI installs it), or null. */
function redisServer(): string | null {
  if (existsSync("/usr/bin/redis-server")) return "/usr/bin/redis-server";
  try {
    return execFileSync("sh", ["-c", "command -v redis-server"], { encoding: "utf8" }).trim() || null;
  } catch {
    return null;
  }
}

const REDIS = redisServer();
// CI sets IOVSIM_REQUIRE_REDIS: there a missing redis-server fails instead of skipping.
if (REDIS === null && process.env.IOVSIM_REQUIRE_REDIS === undefined)
  console.warn(
    "queue test SKIPPED: redis-server not found (apt-get install redis-server; CI installs it and runs this test)",
  );

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address !== null ? address.port : 0));
    });
  });
}

/** A child process whose output is kept, with a way to wait for a line that matches. */
class Child {
  out = "";
  readonly exited: Promise<number | null>;
  constructor(readonly proc: ChildProcess) {
    proc.stdout?.on("data", (d: Buffer) => {
      this.out += d.toString();
    });
    proc.stderr?.on("data", (d: Buffer) => {
      this.out += d.toString();
    });
    this.exited = new Promise((resolve) => proc.on("exit", (code) => resolve(code)));
  }
  /** Resolves with the first match of `pattern` in the output (a hang guard is the test's timeout). */
  async waitFor(pattern: RegExp): Promise<RegExpMatchArray> {
    for (;;) {
      const m = this.out.match(pattern);
      if (m !== null) return m;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

function iovsim(args: string[], env: NodeJS.ProcessEnv = {}): Child {
  return new Child(spawn(process.execPath, ["bin/iovsim.js", ...args], { cwd: root, env: { ...process.env, ...env } }));
}

const children: Child[] = [];

/** A private redis-server without persistence on `port`, ready. */
async function startRedis(port: number, dir: string): Promise<Child> {
  const redis = new Child(
    spawn(REDIS!, ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { cwd: dir }),
  );
  children.push(redis);
  await redis.waitFor(/Ready to accept connections/);
  return redis;
}
/** A private Redis server in its own directory, what a test needs to reach it, and cleanup afterwards. */
interface PrivateRedis {
  readonly dir: string;
  readonly url: string;
  readonly connection: { url: string; maxRetriesPerRequest: null };
  readonly redis: Child;
}
async function withPrivateRedis(prefix: string, body: (r: PrivateRedis) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), `iovsim-${prefix}-`));
  try {
    const port = await freePort();
    const url = `redis://127.0.0.1:${port}`;
    const redis = await startRedis(port, dir);
    await body({ dir, url, connection: { url, maxRetriesPerRequest: null }, redis });
    if (redis.proc.exitCode === null && redis.proc.signalCode === null) {
      redis.proc.kill("SIGTERM");
      await redis.exited;
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** A flow-level job on the director fixture: what a planner sends. */
/** Resolves once `ok()` holds, looking every 100 ms (the test's timeout bounds the wait). */
async function until(ok: () => boolean): Promise<void> {
  while (!ok()) await new Promise((r) => setTimeout(r, 100));
}

async function directorFlowTask(): Promise<PoolTask> {
  const yaml = await readFile(join(root, "test/fixtures/topology/director.yaml"), "utf8");
  return { kind: "flow", job: { yaml, file: "d.yaml", survive: false } };
}

afterAll(async () => {
  for (const c of children) if (c.proc.exitCode === null && c.proc.signalCode === null) c.proc.kill("SIGKILL");
});

describe("a lost queue connection", () => {
  it("is said once per outage, whatever each reconnection attempt reports", () => {
    const said: string[] = [];
    const outage = oncePerOutage((m) => said.push(m));
    for (const m of ["closed", "connect ECONNREFUSED", "closed", "connect ECONNREFUSED"]) outage.error(m);
    outage.fine();
    outage.error("read ECONNRESET");
    expect(said).toEqual(["closed", "read ECONNRESET"]);
  });
});

describe("the worker threads a planner sees listening", () => {
  it("are read from the workers' client names; a worker named otherwise counts one", () => {
    const named = (name: string) => `bull:aW92c2lt:w:${name}`;
    expect(threadsListening([])).toBe(0);
    expect(threadsListening([named(workerName(4)), named(workerName(1)), "bull:aW92c2lt"])).toBe(6);
    expect(threadsListening([named("another-app"), named(workerName(12))])).toBe(13);
  });
});

// The Redis queue's promise: the planner enqueues every evaluation, `iovsim worker` processes
// on any machine answer them, a worker that dies mid-job loses nothing (BullMQ puts the job
// back when its lock runs out and another worker answers it), and the plan is the local one.
describe.skipIf(REDIS === null && process.env.IOVSIM_REQUIRE_REDIS === undefined)("iovsim plan --queue", () => {
  it("writes the local plan.json with 2 worker processes, one killed mid-job (its job retried), and the local sweep.csv and site-size.csv", async () => {
    expect(REDIS, "redis-server is required here (IOVSIM_REQUIRE_REDIS)").not.toBeNull();
    const dir = await mkdtemp(join(tmpdir(), "iovsim-queue-"));
    try {
      const raw = parse(await readFile(join(root, "test/fixtures/study/small.yaml"), "utf8")) as {
        designs: Record<string, unknown>;
      };
      raw.designs = { director: raw.designs.director, mriov: raw.designs.mriov };
      const study = join(dir, "small.yaml");
      await writeFile(study, stringify(raw));

      const port = await freePort();
      const redis = new Child(
        spawn(REDIS!, ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], {
          cwd: dir,
        }),
      );
      children.push(redis);
      await redis.waitFor(/Ready to accept connections/);
      const url = `redis://127.0.0.1:${port}`;

      // Worker A holds its 4th job for ever (fault injection), so that it is surely killed mid-job.
      const a = iovsim(["worker", "--queue", url, "--workers", "1", "--lock-seconds", "2"], {
        IOVSIM_WORKER_HOLD_AFTER: "3",
      });
      const b = iovsim(["worker", "--queue", url, "--workers", "1", "--lock-seconds", "2"]);
      children.push(a, b);
      await Promise.all([a.waitFor(/ready on/), b.waitFor(/ready on/)]);

      const planner = iovsim(["plan", study, "--queue", url, "--out", join(dir, "queue")]);
      children.push(planner);
      const held = await a.waitFor(/job (\S+) (\w+) started and held/);
      a.proc.kill("SIGKILL");
      expect(await planner.exited, planner.out).toBe(0);
      expect(planner.out).not.toContain("no worker listens");

      // The held job was answered by the other worker.
      expect(b.out).toContain(`job ${held[1]} ${held[2]} done`);
      expect(a.out).not.toContain(`job ${held[1]} ${held[2]} done`);

      await run(process.execPath, ["bin/iovsim.js", "plan", study, "--workers", "0", "--out", join(dir, "local")], {
        cwd: root,
        maxBuffer: 16 * 1024 * 1024,
      });
      const [queued, local] = await Promise.all(
        ["queue", "local"].map(async (d) => timeless(JSON.parse(await readFile(join(dir, d, "plan.json"), "utf8")))),
      );
      expect(queued).toEqual(local);

      // A sweep on the queue (worker B alone now) writes the local sweep.csv.
      const sweep = (where: string[], out: string) =>
        run(
          process.execPath,
          ["bin/iovsim.js", "sweep", study, "--set", "objective=hardware,capex", ...where, "--out", join(dir, out)],
          { cwd: root, maxBuffer: 16 * 1024 * 1024 },
        );
      await sweep(["--queue", url], "sweep-queue");
      await sweep(["--workers", "0"], "sweep-local");
      const [sweptQueued, sweptLocal] = await Promise.all(
        ["sweep-queue", "sweep-local"].map((d) => readFile(join(dir, d, "sweep.csv"), "utf8")),
      );
      expect(sweptQueued?.split("\n")).toHaveLength(6);
      expect(sweptQueued).toBe(sweptLocal);

      // So does the site-size curve (plan --sizes), its jobs answered by the worker (--queue was ignored there).
      const sizes = (where: string[], out: string) =>
        run(
          process.execPath,
          ["bin/iovsim.js", "plan", study, "--sizes", "8,12", "--no-fail-on-miss", ...where, "--out", join(dir, out)],
          { cwd: root, maxBuffer: 16 * 1024 * 1024 },
        );
      const answeredBy = (w: Child) => (w.out.match(/ done$/gm) ?? []).length;
      const before = answeredBy(b);
      await sizes(["--queue", url], "sizes-queue");
      expect(answeredBy(b)).toBeGreaterThan(before);
      await sizes(["--workers", "0"], "sizes-local");
      const [sizesQueued, sizesLocal] = await Promise.all(
        ["sizes-queue", "sizes-local"].map((d) => readFile(join(dir, d, "site-size.csv"), "utf8")),
      );
      expect(sizesQueued).toBe(sizesLocal);

      // A worker stops on SIGTERM after the jobs in hand, exit 0.
      b.proc.kill("SIGTERM");
      expect(await b.exited).toBe(0);
      redis.proc.kill("SIGTERM");
      await redis.exited;
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 300_000);

  it("asks again for the jobs a Redis server restarted without persistence forgot, and gets their answers", async () => {
    const dir = await mkdtemp(join(tmpdir(), "iovsim-restart-"));
    const port = await freePort();
    const url = `redis://127.0.0.1:${port}`;
    const errors: string[] = [];
    let evaluator: Evaluator | null = null;
    try {
      const first = await startRedis(port, dir);
      let noWorker = false;
      evaluator = await queueEvaluator(url, {
        onConnectionError: (message) => errors.push(message),
        onNoWorker: () => {
          noWorker = true;
        },
      });
      // No worker runs yet: the planner says so.
      expect(noWorker).toBe(true);
      const job: FlowJob = {
        yaml: await readFile(join(root, "test/fixtures/topology/director.yaml"), "utf8"),
        file: "director.yaml",
        survive: false,
      };
      const answer = evaluator.flow(job);
      // The job waits in the queue (no worker yet) when the server goes down and comes back empty.
      const watcher = new Queue(QUEUE_NAME, { connection: { url } });
      watcher.on("error", () => {});
      while ((await watcher.getWaitingCount()) === 0) await new Promise((r) => setTimeout(r, 50));
      await watcher.close();
      first.proc.kill("SIGKILL");
      await first.exited;
      const second = await startRedis(port, dir);
      const worker = iovsim(["worker", "--queue", url, "--workers", "1"]);
      children.push(worker);

      const { summary, survive, margins } = await answer;
      const local = runFlowJob(job);
      expect({ summary, survive, margins }).toEqual({
        summary: local.summary,
        survive: local.survive,
        margins: local.margins,
      });
      // The planner said once that it lost the server, not once per reconnection attempt.
      expect(errors).toHaveLength(1);
      worker.proc.kill("SIGTERM");
      expect(await worker.exited).toBe(0);
      second.proc.kill("SIGTERM");
      await second.exited;
    } finally {
      await evaluator?.close();
      await rm(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it("stops a plan at --max-wall while no worker answers its jobs, also with the server gone (exit 4, nothing written)", async () => {
    await withPrivateRedis("wall", async ({ dir, url, redis }) => {
      const out = join(dir, "out");
      const small = join(root, "test/fixtures/study/small.yaml");
      const planner = iovsim(["plan", small, "--queue", url, "--max-wall", "2", "--out", out]);
      children.push(planner);
      expect(await planner.exited, planner.out).toBe(4);
      expect(planner.out).toContain("no worker listens on");
      expect(planner.out).toContain("iovsim: stopped by the wall-clock budget (2 s) before the plan was complete");
      expect(existsSync(join(out, "plan.json"))).toBe(false);

      // And while the server is gone: closing its queue connections does not wait for the server.
      const again = iovsim(["plan", small, "--queue", url, "--max-wall", "5", "--out", out]);
      children.push(again);
      await again.waitFor(/no worker listens on/);
      redis.proc.kill("SIGKILL");
      await redis.exited;
      expect(await again.exited, again.out).toBe(4);
      expect(again.out).toContain("iovsim: lost the Redis queue at");
      expect(again.out).toContain("iovsim: stopped by the wall-clock budget (5 s) before the plan was complete");
    });
  }, 60_000);

  it("stops a worker with a job in hand after it, or at a second signal (exit 130), or at once when the server is gone", async () => {
    const task = await directorFlowTask();
    await withPrivateRedis("stop", async ({ url, connection, redis }) => {
      /** A worker holding the job it takes (the test hook: its answer never comes). */
      const holding = async () => {
        const worker = iovsim(["worker", "--queue", url, "--workers", "1"], { IOVSIM_WORKER_HOLD_AFTER: "0" });
        children.push(worker);
        await worker.waitFor(/ready on/);
        const queue = new Queue(QUEUE_NAME, { connection });
        await queue.add("flow", encodeTask(task), { attempts: 1 });
        await queue.close();
        await worker.waitFor(/started and held/);
        return worker;
      };
      // With the server there, the first signal waits for the job in hand; the second stops at once.
      const patient = await holding();
      patient.proc.kill("SIGTERM");
      await patient.waitFor(/stopping after the 1 job in hand \(a second Ctrl-C stops at once\)/);
      patient.proc.kill("SIGTERM");
      expect(await patient.exited, patient.out).toBe(130);
      expect(patient.out).toContain(
        "iovsim worker: stopped with 1 job in hand (retried by another worker when its lock runs out)",
      );

      // With the server gone, no answer can be delivered: the first signal stops it (it used to wait for ever).
      const stranded = await holding();
      redis.proc.kill("SIGKILL");
      await redis.exited;
      stranded.proc.kill("SIGTERM");
      expect(await stranded.exited, stranded.out).toBe(0);
      expect(stranded.out).toContain("iovsim worker: the queue's server is gone: stopped with 1 job in hand");
    });
  }, 60_000);

  it("takes the worker threads listening as its concurrency, and follows workers that join or leave (sweeps plan that + 1 points at once)", async () => {
    await withPrivateRedis("threads", async ({ url }) => {
      let warned = 0;
      const early = await queueEvaluator(url, { onNoWorker: () => warned++ });
      expect([early.concurrency, warned]).toEqual([1, 1]);
      // Two iovsim workers of 3 and 2 threads, and a plain BullMQ worker on the same queue (one job at a time).
      const workers = [await startQueueWorker(url, { threads: 3 }), await startQueueWorker(url, { threads: 2 })];
      const plain = new Worker(QUEUE_NAME, async () => null, { connection: { url, maxRetriesPerRequest: null } });
      await plain.waitUntilReady();
      const busy = await queueEvaluator(url, { onNoWorker: () => warned++ });
      expect([busy.concurrency, warned]).toEqual([6, 1]);
      // The planner that started first sees them too, within its recheck (it planned one point at a time before).
      await until(() => early.concurrency === 6);
      await Promise.all([...workers.map((w) => w.close()), plain.close()]);
      await until(() => early.concurrency === 1 && busy.concurrency === 1);
      await Promise.all([early.close?.(), busy.close?.()]);
    });
  }, 60_000);

  it("hears every event after it asks for the last one, also those before its reader starts", async () => {
    await withPrivateRedis("events", async ({ connection }) => {
      const queue = new Queue(QUEUE_NAME, { connection });
      await queue.add("flow", { first: true });
      const from = await lastEventId(queue);
      // A job added after the id was read and before the reader exists: BullMQ's default ('$') never hears of
      // it, and a planner waiting for such a job's answer waited for ever.
      const job = await queue.add("flow", { second: true });
      const events = new QueueEvents(QUEUE_NAME, { connection, lastEventId: from });
      const heard = await new Promise<string>((resolve) => events.on("waiting", ({ jobId }) => resolve(jobId)));
      expect(heard).toBe(job.id);
      await Promise.all([events.close(), queue.close()]);
    });
  }, 60_000);

  it("refuses a job of another iovsim version on the worker, and the planner says so with exit 2", async () => {
    const task = await directorFlowTask();
    await withPrivateRedis("refused", async ({ dir, url, connection }) => {
      // The real worker, and a job a planner of another version would send.
      const worker = iovsim(["worker", "--queue", url, "--workers", "1"]);
      children.push(worker);
      await worker.waitFor(/ready on/);
      const queue = new Queue(QUEUE_NAME, { connection });
      const events = new QueueEvents(QUEUE_NAME, { connection, lastEventId: await lastEventId(queue) });
      await events.waitUntilReady();
      const job = await queue.add("flow", { ...encodeTask(task), iovsim: "0.0.0-other" }, { attempts: 1 });
      await expect(job.waitUntilFinished(events)).rejects.toThrow(
        `${REFUSED}job from iovsim 0.0.0-other but this worker is iovsim ${VERSION}: run the same version`,
      );
      worker.proc.kill("SIGTERM");
      expect(await worker.exited).toBe(0);

      // A planner whose jobs a worker refuses stops with the worker's reason and exit 2 (not as a bug).
      const refusing = new Worker(
        QUEUE_NAME,
        async (j) => {
          throw new UnrecoverableError(`${REFUSED}${decodeTask({ ...j.data, iovsim: "0.0.0-other" })}`);
        },
        { connection },
      );
      const planner = iovsim([
        "plan",
        join(root, "test/fixtures/study/small.yaml"),
        "--queue",
        url,
        "--out",
        join(dir, "out"),
      ]);
      children.push(planner);
      expect(await planner.exited, planner.out).toBe(2);
      expect(planner.out).toMatch(
        /^iovsim: refused by an iovsim worker: job from iovsim 0\.0\.0-other .*; nothing written$/m,
      );
      expect(existsSync(join(dir, "out", "plan.json"))).toBe(false);
      await Promise.all([refusing.close(), events.close(), queue.close()]);
    });
  }, 120_000);
});
