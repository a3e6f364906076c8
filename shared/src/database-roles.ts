/**
 * The PostgreSQL roles the services connect as. Each holds only what its service needs
 * (api/src/database-roles/role-grants.ts); neither can change the schema. The stacks grant the
 * services' AWS roles `rds-db:connect` as these users, and the local platform logs in with them.
 */
export const DATABASE_ROLES = {
  /** The registration API (ECS tasks). */
  api: "ecom_api",
  /** The campaign function (Lambda). */
  campaign: "ecom_campaign",
} as const;

export type DatabaseRole = (typeof DATABASE_ROLES)[keyof typeof DATABASE_ROLES];
