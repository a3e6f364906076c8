import pino, { Logger } from "pino";

export type { Logger };

/**
 * How a long-running process writes its lines: gathered into writes of about this many bytes (a
 * few dozen request lines under load, instead of a write each), never held longer than the flush
 * interval, and dropped past the bound rather than growing memory while stdout does not drain.
 */
const BUFFER = { writeBytes: 4096, flushIntervalMs: 1000, maxBytes: 16 * 1024 * 1024 };

/** Loggers created with `buffered`, and where they write, for `flushLogs`. */
const buffers = new WeakMap<Logger, pino.DestinationStream & { flush(cb: () => void): void; flushSync(): void }>();

/**
 * JSON lines on stdout (CloudWatch reads them as they are); secrets and personal data redacted.
 * `buffered` (the API's task): lines are written asynchronously in batches, so the process must
 * `flushLogs` before it exits. Without it (a Lambda function, frozen between invocations) each
 * line is written as soon as the previous write is done.
 */
export function createLogger(options: { level: string; service: string; env: string; buffered?: boolean }): Logger {
  const destination = options.buffered
    ? pino.destination({ fd: 1, sync: false, minLength: BUFFER.writeBytes, periodicFlush: BUFFER.flushIntervalMs, maxLength: BUFFER.maxBytes })
    : undefined;
  const logger = pino(
    {
      level: options.level,
      base: { service: options.service, env: options.env },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: {
        // `detail` is where PostgreSQL errors quote a failing row ("Failing row contains (…, jane@…, +1…)").
        paths: ["password", "*.password", "email", "*.email", "email_id", "*.email_id", "phone", "*.phone", "*.detail"],
        censor: "[redacted]",
      },
    },
    destination,
  );
  if (destination) buffers.set(logger, destination);
  return logger;
}

/**
 * Writes out every line logged so far, for a process about to exit: waits (up to `timeoutMs`, in
 * case stdout is stuck) for the write in flight, then writes the rest synchronously, in order.
 */
export async function flushLogs(logger: Logger, timeoutMs = 2_000): Promise<void> {
  const destination = buffers.get(logger);
  if (!destination) return;
  const flushed = await new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    destination.flush(() => {
      clearTimeout(timer);
      resolve(true);
    });
  });
  if (flushed) destination.flushSync(); // the flush stops once less than a write's worth is left
}

/** `jane.doe@example.com` → `j***@example.com`: enough to correlate a support ticket, not to harvest. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf("@");
  if (at < 1) return "***";
  return `${email[0]}***${email.slice(at)}`;
}
