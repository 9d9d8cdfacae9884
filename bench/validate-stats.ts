/**
 * `npm run validate:stats`: runs every queueing case over 100 seeds and reports
 * how often the 95 % batch-means confidence interval covers the closed form.
 * Well-calibrated intervals cover it ≈ 95 % of the time; markedly less means
 * the batches are too short for the system's correlation time (ρ = 0.9 is the
 * hard case). Not part of `npm test`: it takes a minute or two.
 *
 * Usage: npm run validate:stats [-- --seeds N --customers N]
 */
import { parseArgs } from "node:util";
import { queueingCases, simulateQueue } from "../examples/queueing.js";

const { values } = parseArgs({
  options: { seeds: { type: "string", default: "100" }, customers: { type: "string", default: "200000" } },
});
const seeds = Number(values.seeds);
const customers = Number(values.customers);

const rows: Array<Record<string, string>> = [];
for (const qc of queueingCases()) {
  let covered = 0;
  let relErrorSum = 0;
  let halfWidthSum = 0;
  for (let seed = 1; seed <= seeds; seed++) {
    process.stderr.write(`\r${qc.name}: seed ${seed}/${seeds}   `);
    const r = simulateQueue(qc, { seed, customers, warmup: Math.floor(customers / 50) });
    const hw = r.ci.halfWidth ?? Number.NaN;
    if (Math.abs(r.ci.mean - qc.analyticSojourn) <= hw) covered++;
    relErrorSum += Math.abs(r.meanSojourn - qc.analyticSojourn) / qc.analyticSojourn;
    halfWidthSum += hw / qc.analyticSojourn;
  }
  rows.push({
    system: qc.name,
    "closed form": qc.analyticSojourn.toFixed(4),
    "CI coverage": `${((100 * covered) / seeds).toFixed(0)} %`,
    "mean |error|": `${((100 * relErrorSum) / seeds).toFixed(2)} %`,
    "mean half-width": `${((100 * halfWidthSum) / seeds).toFixed(2)} %`,
  });
}
process.stderr.write("\r\x1b[K");
console.log(`${seeds} seeds × ${customers} customers per case, 20 batch means, 95 % intervals`);
console.table(rows);
