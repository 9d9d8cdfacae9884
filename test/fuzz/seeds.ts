/**
 * The seeds the fuzz cases mutate: the reference racks and the topology and fabric fixtures
 * (shortened to a 100 us window, their own faults dropped), two fault lists, the
 * study and a catalog file; each with the commands that read it.
 */

import { readdirSync, readFileSync } from "node:fs";
import { parse } from "yaml";

const root = new URL("../../", import.meta.url);
const read = (path: string) => readFileSync(new URL(path, root), "utf8");

export type Command = "validate" | "run" | "expand" | "bom";

/** Short runs: 100 us after a 20 us warm-up. */
const SHORT = { duration: "100us", warmup: "20us", replications: 1, seed: 1 };

export interface Seed {
  readonly name: string;
  readonly file: string;
  readonly value: Record<string, unknown>;
  readonly commands: readonly Command[];
}

function topologySeeds(): Seed[] {
  const racks = readdirSync(new URL("topologies/", root))
    .filter((f) => f.endsWith("-rack.yaml"))
    .sort()
    .map((f) => ({ name: f, text: read(`topologies/${f}`) }));
  // The topology fixtures, and the fabric's (classes of service, transport).
  const fixtures = ["topology", "fabric"].flatMap((dir) =>
    readdirSync(new URL(`test/fixtures/${dir}/`, root))
      .filter((f) => /\.(ya?ml|json)$/.test(f))
      .sort()
      .map((f) => ({ name: f, text: read(`test/fixtures/${dir}/${f}`) })),
  );
  return [...racks, ...fixtures].map(({ name, text }) => {
    const value = parse(text) as Record<string, unknown>;
    value.experiment = { ...SHORT };
    // The fixtures' faults come after a short run's end; the fault seeds below cover faults.
    delete value.faults;
    return { name, file: "topology.yaml", value, commands: ["run", "run", "validate"] };
  });
}

function faultSeeds(): Seed[] {
  const ucs = parse(read("topologies/ucs-rack.yaml")) as Record<string, unknown>;
  const mriov = parse(read("topologies/mriov-rack.yaml")) as Record<string, unknown>;
  return [
    {
      name: "ucs-rack faults",
      file: "faults.yaml",
      value: {
        ...ucs,
        experiment: { ...SHORT },
        faults: [
          { at: "40us", action: "fail", target: "fi-a" },
          { at: "60us", action: "fail", target: "iom1a" },
          { at: "90us", action: "restore", target: "fi-a" },
        ],
      },
      commands: ["run"],
    },
    {
      name: "mriov-rack failures",
      file: "failures.yaml",
      value: {
        ...mriov,
        experiment: { ...SHORT },
        failures: [{ kind: "shared-adapter", mtbf: "100us", mttr: "20us" }],
      },
      commands: ["run"],
    },
  ];
}

function studySeed(): Seed {
  const value = parse(read("topologies/studies/last-mile.yaml")) as Record<string, unknown>;
  return { name: "last-mile study", file: "study.yaml", value, commands: ["expand"] };
}

function catalogSeed(): Seed {
  const value = parse(read("catalog/pcie.yaml")) as Record<string, unknown>;
  // A user catalog replaces built-in entries by id; its own ids keep it from clashing.
  return { name: "catalog (pcie.yaml)", file: "catalog.yaml", value, commands: ["bom"] };
}

export const SEEDS: readonly Seed[] = [...topologySeeds(), ...faultSeeds(), studySeed(), catalogSeed()];
