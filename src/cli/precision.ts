import { DEFAULT_PRECISION } from "../run/precision.js";
import type { Precision } from "../topology/types.js";
import { UsageError } from "./load.js";

/**
 * The precision a command runs with: the file's (`base`; null when it says `off`), its
 * relative target replaced by `--precision <fraction>`, or none with `--precision off`
 * or a fixed `--replications <n>`.
 */
export function commandPrecision(
  base: Precision | null,
  opts: { readonly precision?: string | undefined; readonly replications?: number | undefined },
): Precision | null {
  if (opts.precision === undefined) return opts.replications === undefined ? base : null;
  if (opts.precision === "off") return null;
  const relative = Number(opts.precision);
  if (!(Number.isFinite(relative) && relative > 0)) {
    throw new UsageError(`--precision must be a fraction above 0 (e.g. 0.05) or "off", got ${opts.precision}`);
  }
  if (opts.replications !== undefined) throw new UsageError("--precision and --replications exclude each other");
  return { ...(base ?? DEFAULT_PRECISION), relative };
}
