/**
 * The services' database roles on a PostgreSQL of this machine (`npm start`, the test suites). The
 * migrations create them without passwords (on RDS they log in with IAM tokens); here they get
 * passwords, and each service connects with a URL of its own, as on AWS it connects as its role.
 */
import { randomBytes } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { Knex } from "knex";
import { migrateToLatest } from "../api/src/migrate";
import { DATABASE_ROLES, DatabaseRole } from "../shared/src/database-roles";

export type RolePasswords = Record<DatabaseRole, string>;

/** How each service reaches the database: as its own role. */
export interface ServiceDatabaseUrls {
  api: string;
  campaign: string;
}

const PASSWORDS_FILE = "database-role-passwords.json";
// Only these characters: the password travels in URLs unescaped and never needs quoting.
const PASSWORD = /^[A-Za-z0-9_-]{16,}$/;

/** The roles' passwords kept in `dataDir` (git-ignored `.data/` for `npm start`), created on first use. */
export async function readOrCreateRolePasswords(dataDir: string): Promise<RolePasswords> {
  const file = path.join(dataDir, PASSWORDS_FILE);
  try {
    return JSON.parse(await readFile(file, "utf8")) as RolePasswords;
  } catch {
    const passwords = Object.fromEntries(Object.values(DATABASE_ROLES).map((role) => [role, randomBytes(24).toString("base64url")])) as RolePasswords;
    await mkdir(dataDir, { recursive: true });
    await writeFile(file, JSON.stringify(passwords), { mode: 0o600 });
    return passwords;
  }
}

/** Gives each role its password (as the database's owner, who created the roles). */
export async function setRolePasswords(owner: Knex, passwords: RolePasswords): Promise<void> {
  for (const [role, password] of Object.entries(passwords)) {
    if (!PASSWORD.test(password)) throw new Error(`the local password of ${role} must be 16 or more letters, digits, _ or -`);
    // ALTER ROLE takes no parameters: the server quotes the name and the literal itself.
    const { rows } = await owner.raw("SELECT format('ALTER ROLE %I PASSWORD %L', ?::text, ?::text) AS statement", [role, password]);
    await owner.raw(rows[0].statement);
  }
}

/** The owner's URL with each service's role and password in its place. */
export function serviceDatabaseUrls(ownerUrl: string, passwords: RolePasswords): ServiceDatabaseUrls {
  const as = (role: DatabaseRole) => {
    const url = new URL(ownerUrl);
    url.username = role;
    url.password = passwords[role];
    return url.toString();
  };
  return { api: as(DATABASE_ROLES.api), campaign: as(DATABASE_ROLES.campaign) };
}

/**
 * What the migrator function does on AWS, then what IAM does there: migrates as the owner (roles
 * and grants included), gives the roles their passwords, and returns the services' URLs.
 */
export async function prepareServiceRoles(owner: Knex, ownerUrl: string, passwords: RolePasswords): Promise<ServiceDatabaseUrls> {
  await migrateToLatest(owner);
  await setRolePasswords(owner, passwords);
  return serviceDatabaseUrls(ownerUrl, passwords);
}
