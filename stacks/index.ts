/**
 * The Pulumi program (`main` in Pulumi.yaml): reads the stack's configuration, builds the platform
 * and exports its outputs. Everything else lives in the components `platform.ts` composes.
 */
import { buildCampaignCode, buildMigratorCode } from "./lambda-code";
import { createPlatform } from "./platform";
import { readStackConfig } from "./stack-config";

export = createPlatform(readStackConfig(), { campaignCode: buildCampaignCode(), migratorCode: buildMigratorCode() });
