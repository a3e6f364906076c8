const DAY = 24 * 60 * 60 * 1000;

/** A valid campaign body, ongoing by default; override any field. Dates are relative to now. */
export function aCampaign(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: "Winter sale",
    description: "Warm coats and boots for less.",
    offer: "20% off all outerwear",
    discount_code: "winter20",
    starts_at: daysFromNow(-1),
    ends_at: daysFromNow(10),
    ...overrides,
  };
}

export function daysFromNow(days: number): string {
  return new Date(Date.now() + days * DAY).toISOString();
}
