/**
 * Bundles the migrator function (api/src/migrator-handler.ts) with every migration of
 * api/migrations inside: the bundle has no folder to read them from, so the module that lists them
 * (api/src/migration-files.ts) is replaced by one importing each file found here at build time.
 * A new migration is in the next bundle without anybody listing it.
 */
import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { Plugin } from "esbuild";
import { bundleLambda } from "../shared/build/lambda-bundle";

const MIGRATIONS_DIR = path.join(__dirname, "migrations");
const MIGRATION_FILES_MODULE = path.join(__dirname, "src", "migration-files.ts");
/** What else a migration run applies besides the migrations: the services' roles and their grants. */
const GRANTS_DIR = path.join(__dirname, "src", "database-roles");
const ROLE_NAMES = path.join(__dirname, "..", "shared", "src", "database-roles.ts");

/** The migration files, in the order they apply: what the migrator bundle holds, and what its deploy trigger hashes. */
export async function migrationFileNames(): Promise<string[]> {
  return (await readdir(MIGRATIONS_DIR)).filter((file) => file.endsWith(".ts")).sort();
}

/** What a migration run applies: every migration file, and the services' roles and their grants. */
export async function schemaFiles(): Promise<string[]> {
  const migrations = (await migrationFileNames()).map((file) => path.join(MIGRATIONS_DIR, file));
  const grants = (await readdir(GRANTS_DIR)).sort().map((file) => path.join(GRANTS_DIR, file));
  return [...migrations, ...grants, ROLE_NAMES];
}

/** A digest of the schema files' names and contents: it changes exactly when a deploy must run the migrator again. */
export async function schemaDigest(): Promise<string> {
  const hash = createHash("sha256");
  for (const file of await schemaFiles()) hash.update(`${path.relative(__dirname, file)}\0`).update(await readFile(file)).update("\0");
  return hash.digest("hex");
}

const migrationsAsModule: Plugin = {
  name: "migrations-as-module",
  setup(b) {
    b.onLoad({ filter: /[\\/]migration-files\.ts$/ }, async (args) => {
      if (path.resolve(args.path) !== MIGRATION_FILES_MODULE) return undefined;
      const files = await migrationFileNames();
      const contents = [
        ...files.map((file, i) => `import * as m${i} from ${JSON.stringify(path.join(MIGRATIONS_DIR, file))};`),
        `export async function loadMigrationFiles() {`,
        `  return [${files.map((file, i) => `{ name: ${JSON.stringify(path.basename(file, ".ts"))}, migration: m${i} }`).join(", ")}];`,
        `}`,
      ].join("\n");
      return { contents, loader: "ts", resolveDir: MIGRATIONS_DIR };
    });
  },
};

/** Writes `<outDir>/index.js` (handler export: `index.handler`) and returns its path. */
export async function buildMigratorBundle(outDir: string): Promise<string> {
  return bundleLambda({ entry: path.join(__dirname, "src", "migrator-handler.ts"), outDir, plugins: [migrationsAsModule] });
}
