/** A "billion laughs" YAML text: nine levels of nine aliases each (9^9 nodes if expanded). */
export function billionLaughs(): string {
  const lines = ["a: &a [x, x, x, x, x, x, x, x, x]"];
  for (let i = 1; i < 10; i++)
    lines.push(
      `l${i}: &l${i} [${Array(9)
        .fill(i === 1 ? "*a" : `*l${i - 1}`)
        .join(", ")}]`,
    );
  return lines.join("\n");
}
