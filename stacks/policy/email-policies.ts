/**
 * SES sending stays measurable: every configuration set keeps reputation metrics, so the bounce and
 * complaint rates of what is sent with it can be watched, and alarmed, before SES reviews the account.
 */
import { problemIf, resourcePolicy } from "./resource-policy";

const MESSAGE = "reputation metrics must be enabled: without them bounce and complaint rates go unwatched";

export const emailPolicies = [
  resourcePolicy("ses-reputation-metrics", "SES configuration sets keep their bounce and complaint rates", {
    "aws:sesv2/configurationSet:ConfigurationSet": (set) => problemIf(set.reputationOptions?.reputationMetricsEnabled !== true, `reputationOptions.${MESSAGE}`),
    "aws:ses/configurationSet:ConfigurationSet": (set) => problemIf(set.reputationMetricsEnabled !== true, `reputationMetricsEnabled: ${MESSAGE}`),
  }),
];
