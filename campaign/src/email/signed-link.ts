import { LinkPurpose, signLinkToken } from "../../../shared/src/link-token";

const PATHS: Record<LinkPurpose, string> = {
  unsubscribe: "/unsubscribe",
  "confirm-marketing": "/confirm-subscription",
};

/**
 * The URL of a link in our emails: the API's page for `purpose`, with a token signed for that
 * customer and purpose only. `publicBaseUrl` is where the API answers, without a trailing slash.
 */
export function signedLink(publicBaseUrl: string, purpose: LinkPurpose, customerId: string, signingKey: string): string {
  return `${publicBaseUrl}${PATHS[purpose]}?token=${encodeURIComponent(signLinkToken(customerId, purpose, signingKey))}`;
}
