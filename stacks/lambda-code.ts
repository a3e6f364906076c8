/**
 * The Lambda functions' code as Lambda receives it: the esbuild bundles (campaign/build.ts,
 * api/migrator-bundle.ts), each written to a fresh git-ignored folder and zipped by Pulumi (an
 * asset, not a serialized closure).
 */
import { rm } from "node:fs/promises";
import path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { buildMigratorBundle } from "../api/migrator-bundle";
import { buildCampaignBundle } from "../campaign/build";

async function bundleArchive(name: string, build: (outDir: string) => Promise<string>): Promise<pulumi.asset.Archive> {
  const dir = path.join(__dirname, "..", "dist", `${name}-lambda`);
  await rm(dir, { recursive: true, force: true }); // nothing stale ends up in the archive
  await build(dir);
  return new pulumi.asset.FileArchive(dir);
}

export const buildCampaignCode = () => bundleArchive("campaign", buildCampaignBundle);
export const buildMigratorCode = () => bundleArchive("migrator", buildMigratorBundle);
