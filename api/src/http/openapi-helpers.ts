/** Small builders for OpenAPI fragments, so each capability's paths read as a table. */
export function jsonContent(schemaName: string) {
  return { "application/json": { schema: { $ref: `#/components/schemas/${schemaName}` } } };
}

/** References to the shared error responses (`Error400`, …) for the given statuses. */
export function errorResponses(...statuses: number[]) {
  return Object.fromEntries(statuses.map((s) => [String(s), { $ref: `#/components/responses/Error${s}` }]));
}
