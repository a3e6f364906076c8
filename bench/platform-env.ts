/** The environment the benchmarks start the local platform with (as `npm start` would, minus the prompts). */
export function benchPlatformEnv(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    PORT: "0",
    LOG_LEVEL: "warn",
    SNS_TOPIC_ARN: "arn:aws:sns:us-east-1:000000000000:bench",
    SENDER_EMAIL: "welcome@e-com.local",
    PUBLIC_BASE_URL: "http://localhost:3000",
    ADMIN_API_KEY: "bench-admin-key-0123456789abcdef",
    UNSUBSCRIBE_SIGNING_KEY: "bench-unsubscribe-signing-key-0123456789abcdef",
    RATE_LIMIT_PER_CLIENT: "1000000000", // every request comes from this one address
    RATE_LIMIT_REGISTRATIONS_PER_CLIENT: "1000000000",
    ...overrides,
  };
}
