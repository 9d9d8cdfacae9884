/**
 * Vendor claims as checks (`npm run validate:claims`, docs/claims.md): each
 * published claim about cables, cabling per server or capital cost, the
 * figure iovsim computes on the matching configuration (the reference racks,
 * whose servers are the claims' "8 NICs + 2 HBAs" hosts), and whether the two
 * agree, with the reason. Disagreeing is allowed; an unexplained disagreement
 * is not. A cost figure that leaves unknown prices out is a lower bound: a
 * saving computed from lower bounds is unknown, and the verdict says so
 * instead of guessing. Pure and browser-safe: the caller supplies the BOMs.
 */

import { type Amount, partial } from "../bom/amount.js";
import type { Tco } from "../bom/tco.js";
import type { Bom } from "../bom/types.js";
import type { Design } from "../topology/types.js";
import { percent, usd } from "./format.js";

/** One design's figures a claim is checked against. */
export interface ClaimInput {
  readonly design: Design;
  readonly bom: Bom;
  readonly tco: Tco;
}

export type ClaimVerdict = "agree" | "partly" | "disagree" | "undecided";

export interface ClaimCheck {
  readonly id: string;
  /** The claim in its own words. */
  readonly claim: string;
  /** Who said it, where (a public source a reader can find). */
  readonly source: string;
  /** The configuration iovsim checks it on. */
  readonly configuration: string;
  /** iovsim's figure, in words. */
  readonly iovsim: string;
  readonly verdict: ClaimVerdict;
  /** Why the verdict is what it is. */
  readonly reason: string;
}

/** Data cables that end at the servers (the management cable apart), per server. */
function serverDataCables(b: Bom): number {
  const s = b.servers;
  const mgmt = b.items
    .filter((i) => i.role === "management" && i.category === "cable")
    .reduce((n, i) => n + i.count, 0);
  // A server's cables include its BMC cable (rack servers); management cables of boxes do not end at servers.
  const bmc = Math.min(mgmt, s.filter((x) => x.chassis === null).length);
  return (s.reduce((n, x) => n + x.cables, 0) - bmc) / Math.max(1, s.length);
}

/**
 * The typical server's data cables: the most common count over the rack's servers (ties: the
 * larger), its BMC cable apart. The racks' last-mile servers have their own I/O; a vendor's
 * per-host claim is about the rack's usual host (the VM host).
 */
function typicalServerDataCables(b: Bom): number {
  const s = b.servers;
  const mgmt = b.items
    .filter((i) => i.role === "management" && i.category === "cable")
    .reduce((n, i) => n + i.count, 0);
  const rack = s.filter((x) => x.chassis === null).length;
  const bmc = rack > 0 && mgmt >= rack ? 1 : 0;
  const counts = new Map<number, number>();
  for (const x of s) {
    const c = x.cables - (x.chassis === null ? bmc : 0);
    counts.set(c, (counts.get(c) ?? 0) + 1);
  }
  let best = 0;
  let most = -1;
  for (const [c, n] of counts)
    if (n > most || (n === most && c > best)) {
      best = c;
      most = n;
    }
  return best;
}

/** Data cables of the whole rack (management network apart). */
function dataCables(b: Bom): number {
  return b.items.filter((i) => i.category === "cable" && i.role === "data").reduce((n, i) => n + i.count, 0);
}

const pct = (x: number): string => percent(x, 0);

/** The saving of `a` against `base` (1 − a / base), null when either leaves unknown figures out. */
function saving(a: Amount, base: Amount): number | null {
  if (partial(a) || partial(base) || base.typical === 0) return null;
  return 1 - a.typical / base.typical;
}

/** An "up to X % less" claim: a saving of X or more reaches it; a smaller one is consistent (partly); none disagrees. */
function upTo(claimed: number, s: number): { verdict: ClaimVerdict; reason: string } {
  if (s >= claimed)
    return { verdict: "agree", reason: `iovsim's saving (${pct(s)}) reaches the claimed ${pct(claimed)}` };
  if (s > 0)
    return {
      verdict: "partly",
      reason: `a saving, but ${pct(s)} is short of "up to ${pct(claimed)}" (an upper bound: consistent, not reached on this configuration)`,
    };
  return { verdict: "disagree", reason: `no saving on this configuration: the design costs ${pct(-s)} more` };
}

function capitalClaim(
  id: string,
  claim: string,
  source: string,
  claimed: number,
  design: ClaimInput,
  base: ClaimInput,
): ClaimCheck {
  const a = design.tco.capex;
  const b = base.tco.capex;
  const s = saving(a, b);
  const iovsim = `capex ${partial(a) ? "≥ " : ""}${usd(a.typical)} (${design.design}) against ${partial(b) ? "≥ " : ""}${usd(b.typical)} (${base.design})${s === null ? "" : `: ${pct(s)} less`}`;
  const configuration = `reference racks, 40 servers: ${design.design} against ${base.design} (capital, licences, upstream ports, cabling labour at list price)`;
  if (s === null) {
    const unknown = [design, base]
      .filter((x) => partial(x.tco.capex))
      .map((x) => `${x.design}: ${x.tco.capex.unknown} units unpriced`)
      .join("; ");
    return {
      id,
      claim,
      source,
      configuration,
      iovsim,
      verdict: "undecided",
      reason: `the catalog leaves prices out (${unknown}): a saving between lower bounds is unknown`,
    };
  }
  return { id, claim, source, configuration, iovsim, ...upTo(claimed, s) };
}

/** Checks every claim against the reference racks' BOMs and costs (missing designs: the claims about them are left out). */
export function checkClaims(inputs: readonly ClaimInput[]): ClaimCheck[] {
  const of = (d: Design) => inputs.find((x) => x.design === d);
  const trad = of("traditional");
  const director = of("director");
  const ucs = of("ucs");
  const mriov = of("mriov");
  const out: ClaimCheck[] = [];
  if (trad !== undefined && director !== undefined) {
    const t = dataCables(trad.bom);
    const d = dataCables(director.bom);
    const s = 1 - d / t;
    out.push({
      id: "xsigo-cables",
      claim: "70 % fewer cables (Xsigo I/O Director)",
      source:
        "Xsigo's VP780 launch pitch, September 2007, as reported by networkcomputing.com and techenterprise.blogspot.com (2007/09)",
      configuration:
        "reference racks, 40 servers: director rack against traditional rack, data cables (management network apart)",
      iovsim: `${d} data cables against ${t}: ${pct(s)} fewer`,
      ...(Math.abs(s - 0.7) <= 0.1
        ? { verdict: "agree" as const, reason: `within 10 points of 70 %` }
        : s > 0.7
          ? {
              verdict: "agree" as const,
              reason: `more than claimed: the traditional rack here has 10 data cables per host (8 × 1GbE + 2 FC), the claim's baseline is unstated`,
            }
          : {
              verdict: "disagree" as const,
              reason: `fewer than claimed: the director rack's IB switch-to-director and I/O module uplinks add cables the per-server count does not show`,
            }),
    });
    const perServer = serverDataCables(director.bom);
    const tradPerServer = typicalServerDataCables(trad.bom);
    out.push({
      id: "xsigo-cables-per-server",
      claim:
        "2 cables per server (data + redundancy); a View POD of 80 hosts goes from 480 cables (6 per host) to 160 (−66 %)",
      source:
        "The Register, 2012-02-24 (theregister.co.uk/2012/02/24/xsigo_cisco); Xsigo's blog, case study with Veristor (xsigo.com/blog: a VMware View POD of 10 clusters × 8 hosts)",
      configuration: "reference director rack: each host's cables to the fabric (its BMC cable apart)",
      iovsim: `${perServer} data cables per server on the director rack (${tradPerServer} on the traditional rack's VM host)`,
      ...(perServer === 2
        ? {
            verdict: "agree" as const,
            reason: `one dual-port HCA per server, each port cabled to one of two IB switches; 6 → 2 per host is −67 %, ${tradPerServer} → 2 here is ${pct(1 - 2 / tradPerServer)}`,
          }
        : { verdict: "disagree" as const, reason: `the director rack's hosts have ${perServer} data cables each` }),
    });
    out.push(
      capitalClaim(
        "xsigo-capital",
        "up to 50 % less capital cost (Xsigo I/O Director)",
        "Xsigo's VP780 launch pitch, September 2007, as reported by networkcomputing.com and techenterprise.blogspot.com (2007/09)",
        0.5,
        director,
        trad,
      ),
    );
  }
  if (trad !== undefined && ucs !== undefined) {
    const perServer = serverDataCables(ucs.bom);
    const tradPerServer = typicalServerDataCables(trad.bom);
    const uplinks = dataCables(ucs.bom) / ucs.bom.totals.servers;
    out.push({
      id: "ucs-cables-per-server",
      claim: "an ESX host with 8 NICs + 2 HBAs needs 10 cables; on UCS, 2: 80 % fewer",
      source:
        'ucsguru.com, "5 karate moves" (Cisco UCS); CiscoPress, "I/O Consolidation in the Data Center", chapter 1',
      configuration:
        "reference racks, 40 servers: a UCS blade's cables (midplane traces are not cables) and the chassis uplinks shared out per blade, against a traditional VM host",
      iovsim: `${tradPerServer} data cables per traditional VM host; ${perServer} per UCS blade (2 midplane traces each), plus ${uplinks.toFixed(2)} rack cables per blade for the IOM and fabric-interconnect uplinks`,
      ...(tradPerServer === 10 && perServer <= 2
        ? {
            verdict: "agree" as const,
            reason: `the 10-cable host is the traditional rack's; a blade's 2 links are midplane traces, and the shared uplinks (${uplinks.toFixed(2)} per blade) keep the saving at ${pct(1 - uplinks / tradPerServer)} per server`,
          }
        : {
            verdict: "disagree" as const,
            reason: `the traditional host has ${tradPerServer} data cables and a blade ${perServer}`,
          }),
    });
  }
  if (trad !== undefined && mriov !== undefined) {
    out.push(
      capitalClaim(
        "nextio-acquisition",
        "up to 40 % lower acquisition cost (no per-server controllers, cabling or leaf switches; NextIO vNET I/O Maestro)",
        "NextIO's vNET I/O Maestro product page (nextio.com/products/vnet, 2011); review at vbrainstorm.com",
        0.4,
        mriov,
        trad,
      ),
    );
    const t = dataCables(trad.bom);
    const m = dataCables(mriov.bom);
    out.push({
      id: "nextio-cables",
      claim: "one PCIe cable per server replaces its NIC and HBA cables (NextIO vNET, VirtenSys VIO-4000)",
      source:
        "NextIO's vNET product page (nextio.com/products/vnet, 2011); VirtenSys FAQ (virtensys.com) and a VirtenSys representative on forums.theregister.com",
      configuration: "reference MR-IOV rack: each host's data cables (its BMC cable apart)",
      iovsim: `${serverDataCables(mriov.bom)} data cables per server; ${m} data cables in the rack against ${t} (${pct(1 - m / t)} fewer)`,
      ...(serverDataCables(mriov.bom) === 1
        ? { verdict: "agree" as const, reason: "each host's only data cable is its PCIe extender cable to the box" }
        : serverDataCables(mriov.bom) === 2
          ? {
              verdict: "partly" as const,
              reason:
                "one PCIe cable per box: deployed redundant, each host has an extender cable to each box of its pair (two); without redundancy (redundancy: none) one",
            }
          : { verdict: "disagree" as const, reason: `hosts have ${serverDataCables(mriov.bom)} data cables each` }),
    });
  }
  return out;
}

/** The checks as text lines (one block per claim). */
export function formatClaims(checks: readonly ClaimCheck[]): string {
  const out: string[] = [];
  for (const c of checks) {
    out.push(
      `${c.verdict.toUpperCase().padEnd(9)} ${c.claim}`,
      `          source: ${c.source}`,
      `          checked on: ${c.configuration}`,
      `          iovsim: ${c.iovsim}`,
      `          why: ${c.reason}`,
      "",
    );
  }
  const n = (v: ClaimVerdict) => checks.filter((c) => c.verdict === v).length;
  out.push(
    `${checks.length} claims: ${n("agree")} agree, ${n("partly")} partly, ${n("disagree")} disagree, ${n("undecided")} undecided (unpriced figures)`,
  );
  return `${out.join("\n")}\n`;
}
