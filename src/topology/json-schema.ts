/**
 * The JSON Schema of topology files, generated from the zod schema, for editors
 * (`# yaml-language-server: $schema=../schema/iovsim.schema.json`). The
 * committed copy is `schema/iovsim.schema.json`; a test fails when it drifts
 * from a fresh generation (`npx vitest run test/src/topology/json-schema.test.ts -u`
 * rewrites it).
 */

import * as z from "zod";
import { topologySchema } from "./schema.js";

export const SCHEMA_ID = "https://github.com/iovsim/iovsim/schema/iovsim.schema.json";

/** The JSON Schema (draft 2020-12) of what users write: defaults shown, unit fields as strings. */
export function topologyJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(topologySchema, { target: "draft-2020-12", io: "input" });
  const { $schema, ...rest } = generated;
  return { $schema, $id: SCHEMA_ID, ...rest };
}

/** The schema as the committed file holds it: two-space JSON and a final newline. */
export function topologyJsonSchemaText(): string {
  return `${JSON.stringify(topologyJsonSchema(), null, 2)}\n`;
}
