/**
 * The campaign function's code as Lambda receives it: the esbuild bundle from campaign/build.ts,
 * written to a fresh git-ignored folder and zipped by Pulumi (an asset, not a serialized closure).
 */
import { rm } from "node:fs/promises";
import path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { buildCampaignBundle } from "../campaign/build";

const BUNDLE_DIR = path.join(__dirname, "..", "dist", "campaign-lambda");

export async function buildCampaignCode(): Promise<pulumi.asset.Archive> {
  await rm(BUNDLE_DIR, { recursive: true, force: true }); // nothing stale ends up in the archive
  await buildCampaignBundle(BUNDLE_DIR);
  return new pulumi.asset.FileArchive(BUNDLE_DIR);
}
