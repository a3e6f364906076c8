import helmet from "helmet";

/**
 * Helmet's headers. HSTS and CSP's `upgrade-insecure-requests` only when the API is served over
 * HTTPS (`PUBLIC_BASE_URL` starts with `https://`): over plain HTTP (local, a dev stack without a
 * certificate) browsers ignore HSTS, and upgrading Swagger UI's requests to an HTTPS endpoint that
 * does not exist would break it.
 */
export function securityHeaders(publicBaseUrl: string | undefined) {
  const https = publicBaseUrl !== undefined && new URL(publicBaseUrl).protocol === "https:";
  return helmet({
    strictTransportSecurity: https, // helmet's defaults when on: one year, subdomains included
    contentSecurityPolicy: { directives: https ? {} : { upgradeInsecureRequests: null } },
  });
}
