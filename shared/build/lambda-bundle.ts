/**
 * Bundles a Lambda function's handler into one small CommonJS file with esbuild (the campaign
 * function, campaign/build.ts; the migrator, api/migrator-bundle.ts). The AWS SDK's clients are left
 * out: the Lambda Node.js runtime provides them. The rest of the SDK the code uses (RDS's token
 * signer) is bundled, since which other SDK packages a runtime holds is no contract. So is
 * everything but what knex and pg would only load for other databases or the native driver, which
 * keeps the bundle (and the cold start) small.
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

export interface LambdaBundleOptions {
  /** The TypeScript file exporting the handler(s). */
  entry: string;
  outDir: string;
  /** More esbuild plugins, e.g. one turning a folder into a module. */
  plugins?: Plugin[];
}

/** Writes `<outDir>/index.js` (handlers: `index.<export>`) and returns its path. */
export async function bundleLambda(options: LambdaBundleOptions): Promise<string> {
  const outfile = path.join(options.outDir, "index.js");
  await build({
    entryPoints: [options.entry],
    outfile,
    bundle: true,
    platform: "node",
    target: "node20",
    format: "cjs",
    minify: true,
    legalComments: "none",
    // pg's native binding and knex's query streams are optional and never used here.
    external: ["@aws-sdk/client-*", "pg-native", "pg-query-stream"],
    plugins: [onlyPostgresDialect, ...(options.plugins ?? [])],
    logLevel: "warning",
  });
  return outfile;
}
