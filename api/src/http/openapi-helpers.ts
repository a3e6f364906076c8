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

/** The admin API key scheme, which every admin route (campaigns, broadcasts, suppressions, privacy) requires. */
export const adminSecuritySchemes = {
  adminApiKey: { type: "apiKey", in: "header", name: "x-api-key", description: "The admin API key (ADMIN_API_KEY)" },
};

/** An operation's `security`: the admin API key. */
export const adminSecurity = [{ adminApiKey: [] }];
