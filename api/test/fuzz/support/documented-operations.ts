/**
 * The operations the fuzz suite attacks, read from the `/openapi.json` the API serves: a route
 * added to the document is fuzzed without touching the suite.
 */
import request from "supertest";

export type Method = "get" | "post" | "put" | "patch" | "delete";
export const METHODS: Method[] = ["get", "post", "put", "patch", "delete"];

export interface Schema {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  example?: unknown;
  properties?: Record<string, Schema>;
}

export interface Parameter {
  name: string;
  in: "path" | "query" | "header" | "cookie";
  schema: Schema;
}

export interface DocumentedOperation {
  operationId: string;
  method: Method;
  /** The documented path, e.g. `/campaigns/{id}`. */
  template: string;
  parameters: Parameter[];
  /** The JSON request body's schema (name and properties), when the operation takes one. */
  body?: { name: string; properties: Record<string, Schema> };
  /** Whether the operation requires the admin key. */
  secured: boolean;
  /** The statuses the document lists for it. */
  statuses: number[];
}

interface ServedOperation {
  operationId: string;
  parameters?: Parameter[];
  security?: unknown[];
  responses: Record<string, unknown>;
  requestBody?: { content: Record<string, { schema: Schema }> };
}

export async function documentedOperations(server: string): Promise<DocumentedOperation[]> {
  const { body: doc } = await request(server).get("/openapi.json").expect(200);
  const schemas = doc.components.schemas as Record<string, Schema>;
  const paths = doc.paths as Record<string, Record<string, ServedOperation>>;
  return Object.entries(paths).flatMap(([template, operations]) =>
    Object.entries(operations).map(([method, op]) => {
      const ref = op.requestBody?.content["application/json"]?.schema.$ref;
      const name = ref?.split("/").pop();
      return {
        operationId: op.operationId,
        method: method as Method,
        template,
        parameters: op.parameters ?? [],
        body: name ? { name, properties: schemas[name].properties ?? {} } : undefined,
        secured: (op.security ?? []).length > 0,
        statuses: Object.keys(op.responses).map(Number),
      };
    }),
  );
}

/**
 * Whether Express would serve `path` as the documented `template`. Its routing ignores letter case
 * and one trailing slash (its defaults), so `/Customer-Registration/` is the same operation.
 */
export function servesAs(template: string, path: string): boolean {
  const pattern = template.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\{[^}]+\}/g, "[^/]+");
  return new RegExp(`^${pattern}/?$`, "i").test(path);
}
