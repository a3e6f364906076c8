import { RecordedResource } from "./recording-mocks";

/** How the stack tests find what a program declared under mocks. */
export interface RecordedQueries {
  /** Every recorded resource of `type` (e.g. `aws:rds/instance:Instance`). */
  ofType(type: string): RecordedResource[];
  /** The one resource of `type` whose logical name ends with `suffix`; fails unless exactly one. */
  one(type: string, suffix?: string): RecordedResource;
}

export function recordedQueries(resources: RecordedResource[]): RecordedQueries {
  const ofType = (type: string) => resources.filter((r) => r.type === type);
  return {
    ofType,
    one(type, suffix = "") {
      const found = ofType(type).filter((r) => r.name.endsWith(suffix));
      if (found.length !== 1) throw new Error(`expected one ${type} named *${suffix}, found ${found.map((r) => r.name).join(", ") || "none"}`);
      return found[0];
    },
  };
}
