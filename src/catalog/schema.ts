/**
 * Catalog files (`catalog/*.yaml`, `--catalog FILE`) as zod 4 schemas. A file is
 * `{ catalog: 1, entries: [ … ] }`; each entry is discriminated by `class`.
 *
 * Figures are written as a number, a `[min, max]` range or `null` (unknown;
 * never 0 for unknown), or as `{ value, confidence?, source?, note? }` when the
 * figure's confidence or source differs from its entry's. Price and power are
 * required, so an unknown one is an explicit `null`.
 */

import * as z from "zod";
import { linkProtocolIds } from "../link/catalog.js";
import { describeValue, expected, MODEL_ID_PATTERN, strict } from "../topology/fields.js";
import { linkMatches } from "./pattern.js";
import {
  ADAPTER_CLASSES,
  BOX_CLASSES,
  CATALOG_CLASSES,
  CONFIDENCES,
  ERAS,
  PORT_MEDIA,
  SERVER_CLASSES,
} from "./types.js";

const LINK_IDS = linkProtocolIds();

export { linkMatches } from "./pattern.js";

const linkPattern = () =>
  z
    .string({ error: (iss) => expected('a link protocol id like "eth-10g" (or a pattern like "fc-*")', iss.input) })
    .superRefine((text, ctx) => {
      if (!LINK_IDS.some((id) => linkMatches(text, id))) {
        ctx.addIssue({
          code: "custom",
          message: `${JSON.stringify(text)} names no link protocol; ids look like eth-1g, eth-10g, fc-8g, ib-qdr-4x, pcie-gen3-x8 (patterns: fc-*)`,
        });
      }
    });

const links = () =>
  z.union([linkPattern(), z.array(linkPattern()).min(1)], {
    error: (iss) =>
      iss.code === "invalid_union" ? expected("a link protocol id or a list of them", iss.input) : undefined,
  });

const confidence = () =>
  z.enum(CONFIDENCES as [string, ...string[]], {
    error: (iss) =>
      `${iss.input === undefined ? "missing confidence" : `unknown confidence ${describeValue(iss.input)}`}; expected one of: ${CONFIDENCES.join(", ")}`,
  });

const text = (what: string) =>
  z.string({ error: (iss) => expected(what, iss.input) }).min(1, { error: () => `expected ${what}, got ""` });

const catalogId = () =>
  z.string({ error: (iss) => expected('a catalog id like "cisco-ucs-6248up"', iss.input) }).regex(MODEL_ID_PATTERN, {
    error: (iss) => `${expected("a catalog id", iss.input)}: lower-case letters, digits, . _ + or -`,
  });

const whole = (min: number) =>
  z
    .int({ error: (iss) => expected(`a whole number ≥ ${min}`, iss.input) })
    .min(min, { error: (iss) => expected(`a whole number ≥ ${min}`, iss.input) });

const FIGURE_HINT = "a number, a [min, max] range, null (unknown), or { value, confidence, source }";

/**
 * No catalog figure (a price in USD, watts, a port count, rack units) comes near
 * 10^12; larger numbers add up to Infinity in totals (a price of 1e308 printed "$∞").
 */
const MAX_FIGURE = 1e12;
const amount = () =>
  z
    .number()
    .nonnegative()
    .max(MAX_FIGURE, { error: (iss) => `${describeValue(iss.input)} is not a plausible figure: none reaches 10^12` });

const plainFigure = z.union(
  [
    amount(),
    z.tuple([amount(), amount()]).refine(([a, b]) => a <= b, { message: "a range is [min, max] with min ≤ max" }),
    z.null(),
  ],
  {
    error: (iss) => (iss.code === "invalid_union" ? expected(FIGURE_HINT, iss.input) : undefined),
  },
);

/** A figure: plain, or with its own confidence / source / note. */
export const figure = () =>
  z.union(
    [
      plainFigure,
      strict(
        {
          value: plainFigure,
          confidence: confidence().optional(),
          source: text("a source").optional(),
          note: z.string().optional(),
        },
        FIGURE_HINT,
      ),
    ],
    {
      error: (iss) =>
        iss.code === "invalid_union"
          ? iss.input === undefined
            ? `missing a figure: write ${FIGURE_HINT} (null when unknown, never 0)`
            : expected(FIGURE_HINT, iss.input)
          : undefined,
    },
  );

export type FigureInput = z.output<ReturnType<typeof figure>>;

const portBlock = strict(
  {
    count: figure(),
    link: links().optional(),
    speedGbps: z.number().positive().optional(),
    medium: z
      .enum(PORT_MEDIA, {
        error: (iss) => `${expected("a port medium", iss.input)}; expected one of: ${PORT_MEDIA.join(", ")}`,
      })
      .optional(),
    role: z.string().optional(),
    note: z.string().optional(),
  },
  "a port block { count, link, medium, role }",
).superRefine((b, ctx) => {
  if (b.link === undefined && b.speedGbps === undefined) {
    ctx.addIssue({ code: "custom", message: "a port block needs link (protocol ids) or speedGbps" });
  }
});

export type PortBlockInput = z.output<typeof portBlock>;

const ports = () =>
  z.array(portBlock).nullable().meta({ description: "Port blocks, or null when the inventory was not found." });

const common = {
  id: catalogId(),
  name: text("a display name"),
  vendor: z.string().optional(),
  year: whole(1990).optional(),
  confidence: confidence(),
  source: text("a source"),
  notes: z.string().optional(),
  listPriceUsd: figure(),
  priceYear: whole(1990).optional(),
  watts: figure(),
  wattsMax: figure().optional(),
};

function classOf<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values);
}

const adapter = strict(
  {
    ...common,
    class: classOf(ADAPTER_CLASSES),
    ports: ports(),
    pcie: strict(
      {
        gen: whole(1).nullable(),
        lanes: whole(1).nullable(),
        attach: z.enum(["card", "mezzanine", "mlom", "onboard", "module"], {
          error: (iss) => `${expected("an attachment", iss.input)}; expected card, mezzanine, mlom, onboard or module`,
        }),
        confidence: confidence().optional(),
        source: text("a source").optional(),
      },
      "a PCIe attachment { gen, lanes, attach }",
    ).nullable(),
    maxVfsPerPort: figure().optional(),
    maxVfs: figure().optional(),
    maxVifs: figure().optional(),
    maxVnics: figure().optional(),
    maxVhbas: figure().optional(),
    npivPerPort: figure().optional(),
    throughputGbps: figure().optional(),
    latencyNs: figure().optional(),
    mrIov: z.boolean().optional(),
    fits: z.array(catalogId()).optional(),
  },
  "a catalog entry",
);

/** Ports usable without a licence, ports per licence, the licence's price (FIs, FC switches). */
const portLicence = strict(
  {
    included: whole(0),
    step: whole(1),
    listPriceUsd: figure(),
    partNumber: text("a part number").optional(),
    confidence: confidence().optional(),
    source: text("a source").optional(),
    note: z.string().optional(),
  },
  "a port licence { included, step, listPriceUsd, partNumber?, source?, confidence? }",
);

export type PortLicenceInput = z.output<typeof portLicence>;

/** The price of one upstream port per link protocol id (`eth-10g`, `fc-8g`), on an external network. */
const portPrices = () =>
  z.record(z.string(), figure()).superRefine((prices, ctx) => {
    for (const key of Object.keys(prices)) {
      if (!LINK_IDS.includes(key)) {
        ctx.addIssue({
          code: "custom",
          path: [key],
          message: `${JSON.stringify(key)} names no link protocol; keys are link protocol ids like eth-10g, eth-100g, fc-8g`,
        });
      }
    }
  });

const box = strict(
  {
    ...common,
    class: classOf(BOX_CLASSES),
    ports: ports(),
    rackUnits: figure(),
    moduleSlots: figure().optional(),
    modules: z.array(catalogId()).optional(),
    latencyNs: figure().optional(),
    bufferMB: figure().optional(),
    throughputGbps: figure().optional(),
    vifNamespace: strict(
      {
        perUplinkPerBlade: whole(1),
        reservedPerAdapter: whole(0),
        confidence: confidence().optional(),
        source: text("a source").optional(),
      },
      "a VIF namespace { perUplinkPerBlade, reservedPerAdapter }",
    )
      .nullable()
      .optional(),
    chip: catalogId().optional(),
    managementPort: z.boolean().optional(),
    portLicence: portLicence.optional(),
    portPriceUsd: portPrices().optional(),
  },
  "a catalog entry",
).superRefine((b, ctx) => {
  if (b.portPriceUsd !== undefined && b.class !== "external-network") {
    ctx.addIssue({
      code: "custom",
      path: ["portPriceUsd"],
      message: "only an external-network entry has upstream port prices (portPriceUsd)",
    });
  }
});

const ioModule = strict(
  {
    ...common,
    class: z.literal("io-module"),
    ports: ports(),
    fits: z.array(catalogId()).min(1),
    portLicence: portLicence.optional(),
  },
  "a catalog entry",
);

const chassis = strict(
  { ...common, class: z.literal("chassis"), rackUnits: figure(), bladeSlots: figure(), iomSlots: figure() },
  "a catalog entry",
);

const server = strict(
  {
    ...common,
    class: classOf(SERVER_CLASSES),
    rackUnits: figure(),
    pcieSlots: figure(),
    managementPort: z.boolean().optional(),
  },
  "a catalog entry",
);

const CABLE_MEDIA = ["cat6", "cat6a", "twinax", "mmf", "smf", "aoc", "ib-copper", "pcie-copper"] as const;

const cable = strict(
  {
    ...common,
    class: z.literal("cable"),
    links: links(),
    medium: z.enum(CABLE_MEDIA, {
      error: (iss) => `${expected("a cable medium", iss.input)}; expected one of: ${CABLE_MEDIA.join(", ")}`,
    }),
    connector: z.string().optional(),
    reachM: figure().optional(),
    needsOptics: z.boolean().default(false),
  },
  "a catalog entry",
).superRefine((c, ctx) => {
  const fibre = c.medium === "mmf" || c.medium === "smf";
  if (fibre !== c.needsOptics) {
    ctx.addIssue({
      code: "custom",
      path: ["needsOptics"],
      message: fibre
        ? "plain fibre (mmf, smf) needs optics: needsOptics: true"
        : "only plain fibre (mmf, smf) needs optics",
    });
  }
  if (fibre && c.reachM !== undefined) {
    ctx.addIssue({ code: "custom", path: ["reachM"], message: "fibre's reach is set by its optics: leave reachM out" });
  }
  if (!fibre && c.reachM === undefined) {
    ctx.addIssue({ code: "custom", path: ["reachM"], message: "missing reachM (null when unknown)" });
  }
});

const optic = strict(
  {
    ...common,
    class: z.literal("optic"),
    links: links(),
    medium: z.enum(["mmf", "smf", "rj45"], {
      error: (iss) => `${expected("an optic medium", iss.input)}; expected mmf, smf or rj45`,
    }),
    connector: z.string().optional(),
    formFactor: z.string().optional(),
    reachM: figure(),
    autoSelect: z.boolean().default(true),
  },
  "a catalog entry",
);

const CLASS_MESSAGE = (input: unknown) =>
  input === undefined
    ? `missing class; expected one of: ${CATALOG_CLASSES.join(", ")}`
    : `unknown class ${describeValue(input)}; expected one of: ${CATALOG_CLASSES.join(", ")}`;

export const entrySchema = z.discriminatedUnion("class", [adapter, box, ioModule, chassis, server, cable, optic], {
  error: (iss) => {
    if (iss.code === "invalid_union") return CLASS_MESSAGE((iss.input as { class?: unknown } | undefined)?.class);
    return expected("a catalog entry: a map with id, class, name, …", iss.input);
  },
});

// ---------------------------------------------------------------- the cost model

/** A cost-model figure: always with its own confidence and source (no entry to inherit them from). */
const sourcedFigure = () =>
  strict(
    { value: plainFigure, confidence: confidence(), source: text("a source"), note: z.string().optional() },
    "a figure { value, confidence, source, note? } (value: a number, [min, max] or null)",
  );

const byEra = () =>
  strict(
    Object.fromEntries(ERAS.map((era) => [era, sourcedFigure().optional()])),
    `a figure per era (${ERAS.join(", ")})`,
  );

const supportRule = strict(
  {
    id: catalogId(),
    vendors: z.array(text("a vendor name")).optional(),
    classes: z
      .array(
        z.enum(CATALOG_CLASSES as [string, ...string[]], {
          error: (iss) => `${expected("a catalog class", iss.input)}; expected one of: ${CATALOG_CLASSES.join(", ")}`,
        }),
      )
      .optional(),
    ratePerYear: sourcedFigure(),
  },
  "a support rule { id, vendors?, classes?, ratePerYear }",
);

/** `costModel:` in a catalog file: support rates, PUE and electricity price by era, cabling labour. */
export const costModelSchema = strict(
  {
    support: z.array(supportRule).optional(),
    pue: byEra().optional(),
    kwhPriceUsd: byEra().optional(),
    labourPerCableUsd: sourcedFigure().optional(),
  },
  "a cost model { support, pue, kwhPriceUsd, labourPerCableUsd }",
);

export type CostModelInput = z.output<typeof costModelSchema>;

export const catalogFileSchema = strict(
  {
    catalog: z.literal(1, { error: (iss) => expected("catalog: 1 (the format version)", iss.input) }),
    entries: z.array(entrySchema, { error: (iss) => expected("entries: a list of catalog entries", iss.input) }),
    costModel: costModelSchema.optional(),
  },
  "a catalog file: { catalog: 1, entries: [ … ], costModel? }",
);

export type EntryInput = z.output<typeof entrySchema>;
export type CatalogFileInput = z.output<typeof catalogFileSchema>;
