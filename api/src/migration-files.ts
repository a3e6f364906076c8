/**
 * The migrations of api/migrations, by name (the file name without its extension). Read from the
 * folder here: the repository's TypeScript, the image's compiled JavaScript. The migrator
 * function's bundle replaces this module with one that imports every file of the folder
 * (api/migrator-bundle.ts), so nobody keeps a list of them by hand.
 */
import { readdir } from "node:fs/promises";
import path from "node:path";
import { Knex } from "knex";

export interface MigrationFile {
  name: string;
  migration: Knex.Migration;
}

const MIGRATIONS_DIR = path.join(__dirname, "..", "migrations");
// Migrations are TypeScript in the repository and compiled JavaScript in the image.
const EXTENSION = path.extname(__filename);

export async function loadMigrationFiles(): Promise<MigrationFile[]> {
  const files = (await readdir(MIGRATIONS_DIR)).filter((file) => path.extname(file) === EXTENSION).sort();
  return files.map((file) => ({
    name: path.basename(file, EXTENSION),
    // require, not import(): the test runner loads TypeScript through a CommonJS hook.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    migration: require(path.join(MIGRATIONS_DIR, file)) as Knex.Migration,
  }));
}
