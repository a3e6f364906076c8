/**
 * How long a call to an AWS service may take, for every client the services create: a hung call
 * fails (and is retried by the SDK, then by the queue or the relay) instead of holding a relay
 * batch, an invocation or a start-up until something else kills it. Without throwOnRequestTimeout
 * the SDK's HTTP handler only logs a warning when the request timeout passes, and waits on.
 */
export const boundedRequests = { requestTimeout: 5_000, throwOnRequestTimeout: true, connectionTimeout: 2_000 };
