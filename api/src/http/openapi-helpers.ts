/** Small builders for OpenAPI fragments, so each capability's paths read as a table. */
export function jsonContent(schemaName: string) {
  return { "application/json": { schema: { $ref: `#/components/schemas/${schemaName}` } } };
}

/**
 * References to the shared error responses (`Error400`, …) for the given statuses, and to `Error500`:
 * any operation that runs code can fail unexpectedly, and clients should know what that looks like.
 */
export function errorResponses(...statuses: number[]) {
  return Object.fromEntries([...statuses, 500].map((s) => [String(s), { $ref: `#/components/responses/Error${s}` }]));
}
