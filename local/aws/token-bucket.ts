/**
 * A token bucket: `ratePerSecond` tokens a second, at most one second's worth saved up. How the
 * local SES enforces its sending quota (SES allows its maximum rate per second, bursts included).
 */
export class TokenBucket {
  private tokens: number;
  private refilledAt = performance.now();

  constructor(private readonly ratePerSecond: number) {
    this.tokens = ratePerSecond;
  }

  /** Takes a token if one is there. */
  take(): boolean {
    const now = performance.now();
    this.tokens = Math.min(this.ratePerSecond, this.tokens + ((now - this.refilledAt) / 1000) * this.ratePerSecond);
    this.refilledAt = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
