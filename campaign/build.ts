/**
 * Bundles the campaign Lambda into one small CommonJS file. The AWS SDK is left out because the
 * Lambda Node.js runtime provides it; so is everything knex and pg would only load for other
 * databases or the native driver, which keeps the bundle (and the cold start) small.
 */
import path from "node:path";
import { build, Plugin } from "esbuild";

// knex's dialect table requires every dialect up front, each behind a function it only calls for
// the configured client; the bundle keeps PostgreSQL's and leaves the others as requires that never run.
const KNEX_DIALECTS = /^\.\/(better-sqlite3|cockroachdb|mssql|mysql|mysql2|mariadb|oracle|oracledb|pgnative|redshift|sqlite3)$/;

const onlyPostgresDialect: Plugin = {
  name: "only-postgres-dialect",
  setup(b) {
    b.onResolve({ filter: KNEX_DIALECTS }, (args) =>
      /[\\/]knex[\\/]lib[\\/]dialects$/.test(args.resolveDir) ? { path: args.path, external: true } : undefined,
    );
  },
};

/** Writes `<outDir>/index.js` (handler export: `index.handler`) and returns its path. */
export async function buildCampaignBundle(outDir: string): Promise<string> {
  const outfile = path.join(outDir, "index.js");
  await build({
    entryPoints: [path.join(__dirname, "src", "handler.ts")],
    outfile,
    bundle: true,
    platform: "node",
    target: "node20",
    format: "cjs",
    minify: true,
    legalComments: "none",
    // pg's native binding and knex's query streams are optional and never used here.
    external: ["@aws-sdk/*", "pg-native", "pg-query-stream"],
    plugins: [onlyPostgresDialect],
    logLevel: "warning",
  });
  return outfile;
}
