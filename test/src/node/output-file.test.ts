import { mkdirSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { checkOutputFile, openOutputFile } from "../../../src/node/output-file.js";
import { OutputError } from "../../../src/node/output-paths.js";
import { contents, parent, removeParents } from "./helpers.js";

afterAll(removeParents);

describe("an output file (--trace)", () => {
  it("appears whole at finish, and not at all after abort", async () => {
    const p = parent();
    const path = join(p, "t.jsonl");
    await checkOutputFile("--trace", path);
    const f = openOutputFile("--trace", path);
    f.write("a\n");
    expect(readdirSync(p)).not.toContain("t.jsonl");
    f.write("b\n");
    await f.finish();
    expect(contents(p)).toEqual({ "t.jsonl": "a\nb\n" });
    const g = openOutputFile("--trace", path);
    g.write("c\n");
    await g.abort();
    expect(contents(p)).toEqual({ "t.jsonl": "a\nb\n" });
  });

  it("refuses a directory and a missing parent before any work", async () => {
    const p = parent();
    await expect(checkOutputFile("--trace", p)).rejects.toThrow(`--trace ${p}: is a directory; give a file name`);
    await expect(checkOutputFile("--trace", "/no/such/dir/t.jsonl")).rejects.toThrow(
      "--trace /no/such/dir/t.jsonl: the directory /no/such/dir does not exist",
    );
  });

  it("turns a write that fails (its directory removed mid-run) into one OutputError, not a stack trace", async () => {
    const p = parent();
    const sub = join(p, "sub");
    mkdirSync(sub);
    const f = openOutputFile("--trace", join(sub, "t.jsonl"));
    f.write("x\n");
    rmSync(sub, { recursive: true });
    await expect(f.finish()).rejects.toThrow(
      new OutputError(`--trace ${join(sub, "t.jsonl")}: cannot write: no such file or directory`),
    );
  });
});
