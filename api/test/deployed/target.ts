/**
 * The stack the black-box suite checks: any base URL (a deployed load balancer, or `npm start`),
 * and the admin key, which the suite needs to erase what it created. Both from the environment,
 * as CI passes them after `pulumi up` (see .github/workflows/pulumi-stack.yml).
 */
export interface Target {
  apiUrl: string;
  adminApiKey: string;
}

export function target(): Target {
  const apiUrl = process.env.API_URL?.replace(/\/+$/, "");
  const adminApiKey = process.env.ADMIN_API_KEY;
  if (!apiUrl || !adminApiKey) {
    throw new Error("Set API_URL (e.g. `pulumi stack output apiUrl`) and ADMIN_API_KEY (from the adminApiKeySecretArn secret)");
  }
  return { apiUrl, adminApiKey };
}
