/**
 * Summarises a V8 CPU profile (`node --cpu-prof`) by package: each sample is charged to the
 * package of the function it was taken in. Samples in Node's own code or in native functions
 * (a `fs.write`, `JSON.stringify`) are charged to the nearest caller that belongs to a package,
 * so "pino" includes the writes it asks for; what no package called (the event loop, sockets,
 * timers) is "node core". Shares are of the busy samples (idle excluded).
 * Run alone with `npx tsx bench/profile-summary.ts <file.cpuprofile>`.
 */
/* eslint-disable no-console -- prints the summary */
import { readFile } from "node:fs/promises";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  /** Microseconds from the previous sample (the first: from the profile's start). */
  timeDeltas: number[];
}

/** Milliseconds since the profile started: only the samples taken in between are counted. */
export interface ProfileWindow {
  fromMs: number;
  toMs: number;
}

export interface PackageShare {
  name: string;
  share: number;
}

const OUR_CODE = "e_com (api/, shared/)";

/** The package a function belongs to, or undefined for Node's own code and native functions. */
function packageOf(url: string): string | undefined {
  const inModules = url.lastIndexOf("/node_modules/");
  if (inModules >= 0) {
    const [first, second] = url.slice(inModules + "/node_modules/".length).split("/");
    return first.startsWith("@") ? `${first}/${second}` : first;
  }
  if (url.includes("/dist/") || url.includes("/api/src/") || url.includes("/shared/src/")) return OUR_CODE;
  return undefined;
}

export function summariseProfile(profile: CpuProfile, window?: ProfileWindow): { busySamples: number; packages: PackageShare[] } {
  const parent = new Map<number, ProfileNode>();
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node);

  const charged = new Map<number, string | null>(); // node id → package, null for idle
  const chargeOf = (node: ProfileNode): string | null => {
    const known = charged.get(node.id);
    if (known !== undefined) return known;
    const { functionName, url } = node.callFrame;
    let name: string | null;
    if (functionName === "(idle)") name = null;
    else if (functionName === "(garbage collector)") name = "garbage collector";
    else if (functionName === "(program)") name = "(program: V8 and native code outside JS)";
    else {
      name = packageOf(url) ?? null;
      for (let up = parent.get(node.id); name === null && up; up = parent.get(up.id)) name = packageOf(up.callFrame.url) ?? null;
      name ??= "node core (event loop, sockets, timers)";
    }
    charged.set(node.id, name);
    return name;
  };

  const counts = new Map<string, number>();
  let busySamples = 0;
  let atUs = 0;
  for (const [i, id] of profile.samples.entries()) {
    atUs += profile.timeDeltas[i];
    if (window && (atUs < window.fromMs * 1000 || atUs > window.toMs * 1000)) continue;
    const name = chargeOf(byId.get(id)!);
    if (name === null) continue;
    busySamples++;
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  const packages = [...counts]
    .map(([name, n]) => ({ name, share: n / busySamples }))
    .sort((a, b) => b.share - a.share);
  return { busySamples, packages };
}

export async function readProfile(file: string): Promise<CpuProfile> {
  return JSON.parse(await readFile(file, "utf8")) as CpuProfile;
}

export async function printProfileSummary(file: string, top = 20): Promise<PackageShare[]> {
  const { busySamples, packages } = summariseProfile(await readProfile(file));
  console.log(`\nCPU profile by package (${busySamples} busy samples, idle excluded): ${file}`);
  console.log("| package | share |\n| --- | ---: |");
  for (const p of packages.slice(0, top)) console.log(`| ${p.name} | ${(p.share * 100).toFixed(1)}% |`);
  return packages;
}

if (require.main === module) {
  printProfileSummary(process.argv[2]).catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
