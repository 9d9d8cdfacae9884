import { describe, expect, it } from "vitest";
import { SCHEMA_ID, topologyJsonSchema, topologyJsonSchemaText } from "../../../src/topology/json-schema.js";

describe("the published JSON Schema", () => {
  it("equals a fresh generation from the zod schema (regenerate: npx vitest run test/src/topology/json-schema.test.ts -u)", async () => {
    await expect(topologyJsonSchemaText()).toMatchFileSnapshot("../../../schema/iovsim.schema.json");
  });

  it("is draft 2020-12 with an id, and rejects unknown top-level fields", () => {
    const schema = topologyJsonSchema();
    expect(schema).toMatchObject({
      $schema: "https://json-schema.org/draft/2020-12/schema",
      $id: SCHEMA_ID,
      type: "object",
      additionalProperties: false,
      required: ["name", "design", "topology"],
    });
  });

  it("offers the link protocol ids and node kinds to editors", () => {
    const text = topologyJsonSchemaText();
    expect(text).toContain('"pcie-gen3-x8"');
    expect(text).toContain('"const": "fabric-interconnect"');
    expect(text).toContain('"default": "9MB"');
  });
});
