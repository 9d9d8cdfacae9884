/**
 * Part of a site on the fabric (issue 5 item 5, the last-mile curve): the study
 * cut down to its first `hosts` servers in virtualization order. Data centres
 * virtualize their easy servers first, so the order is: groups of class
 * `virtualized` (file order), then servers in no group, then `last-mile` groups
 * (file order). A group cut in two keeps its first hosts.
 *
 * What leaves with the dropped servers: workloads that send to a group with no
 * host left (their traffic would leave the fabric; the physical servers keep
 * their own I/O), SLA rows of workloads that are gone, and their marking in `qos`.
 */

import { checkStudy, type Study } from "./load.js";
import type { StudyFile } from "./schema.js";

/** The groups in virtualization order, with how many servers in no group sit between the classes. */
function order(file: StudyFile): { groups: StudyFile["groups"]; ungrouped: number } {
  const easy = file.groups.filter((g) => g.class === "virtualized");
  const hard = file.groups.filter((g) => g.class !== "virtualized");
  const grouped = file.groups.reduce((a, g) => a + g.hosts, 0);
  return { groups: [...easy, ...hard], ungrouped: file.servers - grouped };
}

/** Servers of `study` that a share of the site (0 … 1) puts on the fabric: rounded to the nearest server, at least 1. */
export function hostsAtShare(study: Study, share: number): number {
  if (!(share > 0 && share <= 1)) throw new RangeError(`a share is in (0, 1], got ${share}`);
  return Math.max(1, Math.round(share * study.file.servers));
}

/** The study's `qos` without the marking of workloads that are not in `kept`. */
function qosOf(qos: NonNullable<StudyFile["qos"]>, kept: ReadonlySet<string>): NonNullable<StudyFile["qos"]> {
  const out: Record<string, unknown> = {};
  for (const [design, block] of Object.entries(qos)) {
    if (block?.workloads === undefined) {
      out[design] = block;
      continue;
    }
    const workloads = Object.fromEntries(Object.entries(block.workloads).filter(([name]) => kept.has(name)));
    out[design] = { ...block, workloads };
  }
  return out as NonNullable<StudyFile["qos"]>;
}

/** The study with only its first `hosts` servers (in virtualization order). Throws RangeError for 0 or more than the site has. */
export function virtualizeFirst(study: Study, hosts: number): Study {
  const file = study.file;
  if (!Number.isInteger(hosts) || hosts < 1 || hosts > file.servers)
    throw new RangeError(`hosts must be a whole number in 1 … ${file.servers}, got ${hosts}`);
  const { groups, ungrouped } = order(file);
  const kept: StudyFile["groups"] = [];
  let left = hosts;
  let idleLeft = ungrouped;
  for (const g of groups) {
    // Servers in no group go between the already-virtualized groups and the last-mile ones.
    if (g.class !== "virtualized" && idleLeft > 0) {
      const idle = Math.min(idleLeft, left);
      left -= idle;
      idleLeft = 0;
    }
    if (left === 0) break;
    const n = Math.min(g.hosts, left);
    kept.push({ ...g, hosts: n });
    left -= n;
  }
  const names = new Set(kept.map((g) => g.name));
  const groupsOut = kept.map((g) => ({
    ...g,
    workloads: g.workloads.filter((w) => w.to === "lan" || w.to === "storage" || names.has(w.to)),
  }));
  const workloads = new Set(groupsOut.flatMap((g) => g.workloads.map((w) => w.name)));
  const sub: StudyFile = {
    ...file,
    servers: hosts,
    groups: groupsOut,
    sla: file.sla.filter((row) => workloads.has(row.workload)),
    ...(file.qos === undefined ? {} : { qos: qosOf(file.qos, workloads) }),
  };
  const checked = checkStudy(sub);
  if (!checked.ok)
    throw new Error(
      `the first ${hosts} servers of study ${file.name} do not form a valid study (a bug): ${checked.issues.map((i) => i.message).join("; ")}`,
    );
  return checked.study;
}
