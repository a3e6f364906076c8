/**
 * The preflight's report: one section per check, each finding marked ✔ (fine), ! (warning) or
 * ✖ (would fail), the fix under each problem, and a closing line counting them.
 */
import type { CheckReport, Status } from "./finding";

const MARK: Record<Status, string> = { ok: "✔", warning: "!", failure: "✖" };

export function formatReport(heading: string, reports: CheckReport[]): string {
  const lines = [heading];
  for (const { title, findings } of reports) {
    lines.push("", title);
    for (const { status, message, fix } of findings) {
      lines.push(`  ${MARK[status]} ${message}`);
      if (fix) lines.push(`      fix: ${fix}`);
    }
  }
  const all = reports.flatMap((report) => report.findings);
  const failures = all.filter((finding) => finding.status === "failure").length;
  const warnings = all.filter((finding) => finding.status === "warning").length;
  const verdict = failures > 0 ? "fix the failures before pulumi up." : "nothing found that would stop pulumi up.";
  lines.push("", `${plural(failures, "failure")}, ${plural(warnings, "warning")}: ${verdict}`);
  return lines.join("\n") + "\n";
}

/** 1 when any finding would make `pulumi up` fail; warnings do not. */
export function exitCodeOf(reports: CheckReport[]): number {
  return reports.some((report) => report.findings.some((finding) => finding.status === "failure")) ? 1 : 0;
}

const plural = (count: number, noun: string) => `${count} ${noun}${count === 1 ? "" : "s"}`;
