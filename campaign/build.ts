/** Bundles the campaign Lambda (shared/build/lambda-bundle.ts): `campaign/src/handler.ts` and what it imports. */
import path from "node:path";
import { bundleLambda } from "../shared/build/lambda-bundle";

/** Writes `<outDir>/index.js` (handler export: `index.handler`) and returns its path. */
export async function buildCampaignBundle(outDir: string): Promise<string> {
  return bundleLambda({ entry: path.join(__dirname, "src", "handler.ts"), outDir });
}
