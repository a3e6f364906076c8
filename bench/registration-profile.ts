/**
 * `npx tsx bench/registration.ts --profile`: the registration benchmark's load on the API at
 * LOG_LEVEL=info and on the bare-Express floor, each run with `node --cpu-prof`, and their
 * profiles summarised by package over the measured run only (start-up and warm-up left out):
 * the share of the API's busy samples, and the CPU time per request that share stands for, beside
 * the floor's. The profiler slows both; compare shares, not the throughput of this run.
 */
/* eslint-disable no-console -- a benchmark prints its figures */
import { mkdtemp, readdir } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { readProfile, summariseProfile } from "./profile-summary";
import { Figures, measureApi, measureFloor, withPlatform } from "./registration-subjects";

const TOP = 25;

/** `node`: the Node binary that runs the API and the floor; this process's by default. */
export async function profileRegistration(node?: string): Promise<void> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "ecom-bench-profile-"));
  const profiled = (name: string) => ["--cpu-prof", `--cpu-prof-dir=${path.join(dir, name)}`];
  const { api, floor } = await withPlatform(async (platform) => ({
    floor: await measureFloor(platform, "bench_express_profiled", profiled("floor")),
    api: await measureApi(platform, "bench_api_profiled", "info", profiled("api")),
  }), { node });
  const apiShares = await sharesOf(path.join(dir, "api"), api);
  const floorShares = await sharesOf(path.join(dir, "floor"), floor);

  const us = (share: number | undefined, f: Figures) => (share === undefined ? "" : ((share * f.cpuMsPerRequest * 1000).toFixed(0)));
  console.log(`
Profiled (the profiler slows both): API at info ${api.perSecond.toFixed(0)} req/s, ${(api.cpuMsPerRequest * 1000).toFixed(0)} µs CPU per request; ` +
    `floor ${floor.perSecond.toFixed(0)} req/s, ${(floor.cpuMsPerRequest * 1000).toFixed(0)} µs per request. Profiles in ${dir}.

| package (Node's own code charged to its caller) | API share | API µs/req | floor µs/req |
| --- | ---: | ---: | ---: |`);
  for (const [name, share] of [...apiShares].slice(0, TOP)) {
    console.log(`| ${name} | ${(share * 100).toFixed(1)}% | ${us(share, api)} | ${us(floorShares.get(name), floor)} |`);
  }
}

async function sharesOf(dir: string, figures: Figures): Promise<Map<string, number>> {
  const [file] = (await readdir(dir)).filter((f) => f.endsWith(".cpuprofile"));
  const { packages } = summariseProfile(await readProfile(path.join(dir, file)), figures.window);
  return new Map(packages.map((p) => [p.name, p.share]));
}
