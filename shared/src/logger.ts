import pino, { Logger } from "pino";

export type { Logger };

/** JSON lines on stdout (CloudWatch reads them as they are); secrets and personal data redacted. */
export function createLogger(options: { level: string; service: string; env: string }): Logger {
  return pino({
    level: options.level,
    base: { service: options.service, env: options.env },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    redact: {
      // `detail` is where PostgreSQL errors quote a failing row ("Failing row contains (…, jane@…, +1…)").
      paths: ["password", "*.password", "email", "*.email", "email_id", "*.email_id", "phone", "*.phone", "*.detail"],
      censor: "[redacted]",
    },
  });
}

/** `jane.doe@example.com` → `j***@example.com`: enough to correlate a support ticket, not to harvest. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf("@");
  if (at < 1) return "***";
  return `${email[0]}***${email.slice(at)}`;
}
