import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { PlanJson } from "../policy/plan";
import { buildCompiledTree, repoRoot } from "./build";
import { criticalPath, CriticalPath, dataEdges, declaredEdges, orderingOnlyEdges, shortType } from "./critical-path";
import { provisioningTime } from "./provisioning-times";

/**
 * `npm run bench [-- --quick] [-- --json <file>]`: the offline plan's performance budget (issue #7).
 *
 * Every figure is the median of several fresh `node` processes (module caches never flatter it), run
 * round-robin so that a noisy neighbour hits every series alike. What is run:
 *
 * - floor: `node bench/children/floor.js <modules>` — only Node, @pulumi/pulumi, the azure-native
 *   modules components/ imports (found by scanning its non-type imports) and @pulumi/random.
 * - planDev: `node <cache>/bin/secure-azureml.js plan --stack dev`, the package's own bin shim over a
 *   fresh compiled tree (bench/build.ts), i.e. what a user of the built package runs; stdout discarded.
 *   Also reported, not a target: the repository's `node bin/secure-azureml.js plan --stack dev`, which
 *   without a built dist/ runs the sources through ts-node.
 * - scale: bench/children/scale.ts, render + runPack of bench/scale-program.ts with k workspaces.
 * - pack: bench/children/pack.ts, runPack over synthetic stacks cloned from the dev plan.
 * - large stack: `node <cache>/bin/secure-azureml.js audit <file> --json … --diagram … -q` over a synthetic
 *   stack of about 100,000 resources (bench/children/large-stack.ts writes it), i.e. the whole CLI path:
 *   read → normalise → runPack → plan JSON → diagram → the summary line (`-q` builds no more of the
 *   report), with its peak RSS.
 * - critical path: from the dev plan's dependency graph and bench/provisioning-times.ts.
 * - peak RSS: the planDev children run with `-r bench/report-rss.js` (maxRSS at exit).
 */

interface Options {
    quick: boolean;
    json?: string;
    /** Exit 1 when a target is missed (full mode); quick mode only checks that every figure exists. */
    strict: boolean;
}

const targets = {
    planToFloor: 2.0,
    planFirewallToFloor: 1.5,
    scaleRatio: 4,
    /**
     * The pack's speed and growth over synthetic valid stacks (the dev plan cloned): judged here and
     * only here, not in a test (test/policy/runner.test.ts checks the verdict at 10,000 resources,
     * untimed), so a loaded machine cannot fail the suite nor a fast one hide a slowdown.
     */
    packRatio: 12,
    /** Issue 19: back under 250 ms per 10,000 resources (268 ms before the DNS blind-spot work). */
    pack10kMs: 250,
    /**
     * "100,000 resources must audit in seconds with bounded memory" (issue 14). On CPU time (user +
     * system), which a machine shared with other builds distorts least; the wall time is reported too.
     */
    audit100kCpuMs: 8000, // issue 19's target (30 s before)
    audit100kRssMb: 2048,
    criticalPathRatio: 1.0,
};

function parseArgs(argv: string[]): Options {
    const options: Options = { quick: false, strict: false };
    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i];
        if (arg === "--quick") options.quick = true;
        else if (arg === "--strict") options.strict = true;
        else if (arg === "--json") options.json = argv[++i];
        else if (arg.startsWith("--json=")) options.json = arg.slice("--json=".length);
        else if (arg === "--help" || arg === "-h") {
            process.stdout.write("usage: npm run bench [-- --quick] [-- --json <file>] [-- --strict]\n");
            process.exit(0);
        } else throw new Error(`unknown argument ${arg} (see --help)`);
    }
    if (options.json === "") throw new Error("--json needs a file name");
    return options;
}

/**
 * Quick mode is what `.ci/run` runs beside the tests (issue 19: the whole CI run within 2 minutes on 2
 * cores): it only checks that every figure comes out a finite number, so each series is one run and
 * the large-stack audit is 10,000 resources instead of 100,000 (about 2 s of CPU instead of 15). Its
 * figures are informative only; the targets are judged on the full run, which keeps every size.
 */
const profile = (quick: boolean) =>
    quick
        ? {
              processReps: 1,
              sourceReps: 0,
              scaleReps: 1,
              ks: [1, 2],
              packReps: 1,
              packSizes: [200, 1000],
              largeSize: 10_000,
              largeReps: 1,
          }
        : {
              processReps: 7,
              sourceReps: 3,
              scaleReps: 5,
              ks: [1, 5, 20],
              packReps: 5,
              packSizes: [1000, 10000],
              largeSize: 100_000, // the large-stack audit at the issue's size
              largeReps: 3,
          };

// --- Running children ------------------------------------------------------------------------------

interface Run {
    ms: number;
    status: number | null;
    stderr: string;
}

function runNode(args: string[], env: Record<string, string> = {}): Run {
    // The benchmark's own settings must not leak into a child (e.g. BENCH_WHATIF_RENDER_FIX from a shell).
    const inherited = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("BENCH_")));
    const started = process.hrtime.bigint();
    const child = spawnSync(process.execPath, args, {
        cwd: repoRoot,
        env: { ...inherited, ...env },
        stdio: ["ignore", "ignore", "pipe"],
        encoding: "utf8",
        maxBuffer: 64 * 1024 * 1024,
    });
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    if (child.error) throw child.error;
    return { ms, status: child.status, stderr: child.stderr ?? "" };
}

function expectStatus(what: string, run: Run, ok: number[]): void {
    if (run.status === null || !ok.includes(run.status)) {
        const tail = run.stderr.trim().split("\n").slice(-15).join("\n");
        throw new Error(`${what} exited with ${run.status}${tail ? `:\n${tail}` : ""}`);
    }
}

function median(values: number[]): number {
    if (values.length === 0) return NaN;
    const s = [...values].sort((a, b) => a - b);
    const mid = Math.floor(s.length / 2);
    return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** The azure-native modules components/ imports at run time (`import type` and type-only paths excluded). */
export function componentModules(): string[] {
    const found = new Set<string>();
    const walk = (dir: string) => {
        for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
            const full = path.join(dir, e.name);
            if (e.isDirectory()) walk(full);
            else if (e.name.endsWith(".ts") && !e.name.endsWith(".d.ts")) {
                const text = fs.readFileSync(full, "utf8");
                const patterns = [
                    /^\s*import\s+(?!type\b)[^;]*?\bfrom\s+["'](@pulumi\/azure-native\/[\w/-]+)["']/gm,
                    /^\s*import\s+["'](@pulumi\/azure-native\/[\w/-]+)["']/gm,
                    /\brequire\(\s*["'](@pulumi\/azure-native\/[\w/-]+)["']\s*\)/g,
                    /\bimport\(\s*["'](@pulumi\/azure-native\/[\w/-]+)["']\s*\)/g,
                ];
                for (const re of patterns) for (const m of text.matchAll(re)) found.add(m[1]);
            }
        }
    };
    walk(path.join(repoRoot, "components"));
    return [...found].sort();
}

// --- The benchmark ---------------------------------------------------------------------------------

interface ScaleResult {
    k: number;
    resources: number;
    renderMs: number;
    packMs: number;
    ms: number;
    mandatory: number;
    advisory: number;
    mandatoryPolicies: string[];
    /** Wall time of the whole child process (start, imports, render, runPack). */
    processMs?: number;
}

interface PackResult {
    resources: number;
    copies: number;
    ms: number;
    mandatory: number;
    advisory: number;
    byPolicy: Record<string, number>;
}

async function main(): Promise<number> {
    const options = parseArgs(process.argv.slice(2));
    const p = profile(options.quick);
    const began = performance.now();
    const log = (s: string) => process.stderr.write(`bench: ${s}\n`);
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "secure-azureml-bench-"));
    try {
        const build = buildCompiledTree();
        log(`compiled ${build.files} files into ${path.relative(repoRoot, build.dist)} in ${build.ms.toFixed(0)} ms`);
        const child = (name: string) => path.join(build.dist, "bench", "children", `${name}.js`);
        const rssPreload = path.join(repoRoot, "bench", "report-rss.js");
        const floorModules = ["@pulumi/pulumi", ...componentModules(), "@pulumi/random"];
        const floorArgs = [path.join(repoRoot, "bench", "children", "floor.js"), ...floorModules];
        const planArgs = [build.bin, "plan", "--stack", "dev"];
        // The staging stack: egress through Azure Firewall (the most resources and rules of the stacks).
        const planFirewallArgs = [build.bin, "plan", "--stack", "staging"];
        const sourceArgs = [path.join(repoRoot, "bin", "secure-azureml.js"), "plan", "--stack", "dev"];
        const sourceEntry = fs.existsSync(path.join(repoRoot, "dist", "cli", "main.js"))
            ? "dist/cli/main.js (a build in the repository; may be stale)"
            : "cli/main.ts through ts-node (transpile-only)";

        // The dev plan itself: the critical path's graph and the synthetic stacks' template.
        const planFile = path.join(tmp, "plan-dev.json");
        const planRun = runNode([...planArgs, "--json", planFile]);
        expectStatus("plan --stack dev --json", planRun, [0, 1]);
        const plan = JSON.parse(fs.readFileSync(planFile, "utf8")) as PlanJson;
        log(
            `dev plan: ${plan.resources.length} resources, ${plan.summary.mandatory} mandatory / ${plan.summary.advisory} advisory violations`,
        );

        // Floor and planDev, interleaved; warm the OS file cache first (not counted).
        runNode(floorArgs);
        const floorMs: number[] = [];
        const floorRss: number[] = [];
        const floorCpu: number[] = [];
        const planMs: number[] = [];
        const planRss: number[] = [];
        const planCpu: number[] = [];
        const sourceMs: number[] = [];
        const planFirewallMs: number[] = [];
        const rssFile = path.join(tmp, "rss");
        const withRss = (args: string[], what: string, ok: number[]) => {
            fs.rmSync(rssFile, { force: true });
            const run = runNode(["-r", rssPreload, ...args], { BENCH_RSS_FILE: rssFile });
            expectStatus(what, run, ok);
            const usage = JSON.parse(fs.readFileSync(rssFile, "utf8")) as { maxRssKb: number; cpuMs: number };
            return { ms: run.ms, rssKb: usage.maxRssKb, cpuMs: usage.cpuMs };
        };
        for (let i = 0; i < p.processReps; i++) {
            const f = withRss(floorArgs, "floor", [0]);
            floorMs.push(f.ms);
            floorRss.push(f.rssKb);
            floorCpu.push(f.cpuMs);
            const d = withRss(planArgs, "plan --stack dev", [0, 1]);
            planMs.push(d.ms);
            planRss.push(d.rssKb);
            planCpu.push(d.cpuMs);
            const fw = runNode(planFirewallArgs);
            expectStatus("plan --stack staging", fw, [0, 1]);
            planFirewallMs.push(fw.ms);
            if (i < p.sourceReps) {
                const s = runNode(sourceArgs);
                expectStatus("bin/secure-azureml.js plan --stack dev", s, [0, 1]);
                sourceMs.push(s.ms);
            }
            log(`process run ${i + 1}/${p.processReps}: floor ${f.ms.toFixed(0)} ms, plan ${d.ms.toFixed(0)} ms`);
        }

        // Scale: render + runPack per k, round-robin over k.
        const scale = new Map<number, ScaleResult[]>(p.ks.map((k) => [k, []]));
        for (let i = 0; i < p.scaleReps; i++) {
            for (const k of p.ks) {
                const out = path.join(tmp, `scale-${k}.json`);
                const run = runNode([child("scale"), String(k), out]);
                expectStatus(`scale k=${k}`, run, [0]);
                scale.get(k)!.push({ ...(JSON.parse(fs.readFileSync(out, "utf8")) as ScaleResult), processMs: run.ms });
            }
            log(
                `scale run ${i + 1}/${p.scaleReps}: ${p.ks.map((k) => `k=${k} ${scale.get(k)!.at(-1)!.ms.toFixed(0)} ms`).join(", ")}`,
            );
        }

        // Policy evaluation alone over synthetic stacks.
        const pack = new Map<number, PackResult[]>(p.packSizes.map((n) => [n, []]));
        for (let i = 0; i < p.packReps; i++) {
            for (const n of p.packSizes) {
                const out = path.join(tmp, `pack-${n}.json`);
                expectStatus(`pack ${n}`, runNode([child("pack"), planFile, String(n), out]), [0]);
                pack.get(n)!.push(JSON.parse(fs.readFileSync(out, "utf8")) as PackResult);
            }
            log(
                `pack run ${i + 1}/${p.packReps}: ${p.packSizes.map((n) => `${n} ${pack.get(n)!.at(-1)!.ms.toFixed(0)} ms`).join(", ")}`,
            );
        }

        // The whole CLI path over a large stack, in fresh processes.
        const largeFile = path.join(tmp, "large.json");
        const largeMetaFile = path.join(tmp, "large.meta.json");
        expectStatus(
            `large stack of ${p.largeSize}`,
            runNode([child("large-stack"), planFile, String(p.largeSize), largeFile, largeMetaFile]),
            [0],
        );
        const largeMeta = JSON.parse(fs.readFileSync(largeMetaFile, "utf8")) as LargeMeta;
        const largeArgs = [build.bin, "audit", largeFile, "--json", path.join(tmp, "large-out.json")];
        const largeRuns: { ms: number; rssKb: number; cpuMs: number }[] = [];
        for (let i = 0; i < p.largeReps; i++) {
            largeRuns.push(
                withRss(
                    [...largeArgs, "--diagram", path.join(tmp, "large.mmd"), "-q"],
                    "audit of the large stack",
                    [0, 1],
                ),
            );
            const last = largeRuns[largeRuns.length - 1];
            log(
                `large-stack run ${i + 1}/${p.largeReps}: ${largeMeta.resources} resources, ${last.ms.toFixed(0)} ms, peak RSS ${(last.rssKb / 1024).toFixed(0)} MB`,
            );
        }
        fs.rmSync(largeFile, { force: true });

        // Deployment critical path.
        const declared = criticalPath(plan.resources, declaredEdges);
        const data = criticalPath(plan.resources, dataEdges);

        // --- Figures ---
        const floor = median(floorMs);
        const planDev = median(planMs);
        const kLow = kLowOf(p.ks);
        const kHigh = kHighOf(p.ks);
        const scaleMs = (k: number) => median(scale.get(k)!.map((r) => r.ms));
        const small = p.packSizes[0];
        const big = p.packSizes[p.packSizes.length - 1];
        const packMs = (n: number) => median(pack.get(n)!.map((r) => r.ms));
        const figures = {
            floorMs: round(floor),
            planDevMs: round(planDev),
            planToFloor: round(planDev / floor, 3),
            planFirewallMs: round(median(planFirewallMs)),
            planFirewallToFloor: round(median(planFirewallMs) / floor, 3),
            scaleRatio: round(scaleMs(kHigh) / scaleMs(kLow), 3),
            packRatio: round(packMs(big) / packMs(small), 3),
            pack10kMs: round(packMs(big)),
            criticalPathRatio: round(declared.minutes / data.minutes, 3),
            criticalPathMinutes: round(declared.minutes, 2),
            peakRssMb: round(median(planRss) / 1024, 1),
            audit100kMs: round(median(largeRuns.map((r) => r.ms))),
            audit100kCpuMs: round(median(largeRuns.map((r) => r.cpuMs))),
            audit100kRssMb: round(median(largeRuns.map((r) => r.rssKb)) / 1024, 1),
            auditTo10k: round(median(largeRuns.map((r) => r.ms)) / packMs(big), 2),
        };

        const details = {
            mode: options.quick ? "quick" : "full",
            machine: {
                nproc: os.cpus().length,
                cpu: os.cpus()[0]?.model ?? "unknown",
                node: process.version,
                platform: `${os.platform()} ${os.release()}`,
                loadAverage: os.loadavg().map((l) => round(l, 2)),
            },
            commands: {
                floor: `node bench/children/floor.js ${floorModules.join(" ")}`,
                planDev: `node ${path.relative(repoRoot, build.bin)} plan --stack dev  (compiled tree of the current sources, stdout discarded)`,
                planDevSource: `node bin/secure-azureml.js plan --stack dev  (${sourceEntry})`,
            },
            runsMs: {
                floor: floorMs.map((v) => round(v)),
                planDev: planMs.map((v) => round(v)),
                planFirewall: planFirewallMs.map((v) => round(v)),
                planDevSource: sourceMs.map((v) => round(v)),
            },
            planDevSourceMs: round(median(sourceMs)),
            cpuMs: {
                floor: round(median(floorCpu)),
                planDev: round(median(planCpu)),
                planToFloor: round(median(planCpu) / median(floorCpu), 3),
            },
            floorRssMb: round(median(floorRss) / 1024, 1),
            peakRssMbMax: round(Math.max(...planRss) / 1024, 1),
            devPlan: {
                resources: plan.resources.length,
                mandatory: plan.summary.mandatory,
                advisory: plan.summary.advisory,
            },
            scale: p.ks.map((k) => {
                const runs = scale.get(k)!;
                return {
                    k,
                    resources: runs[0].resources,
                    ms: round(scaleMs(k)),
                    renderMs: round(median(runs.map((r) => r.renderMs))),
                    packMs: round(median(runs.map((r) => r.packMs))),
                    processMs: round(median(runs.map((r) => r.processMs ?? NaN))),
                    mandatory: runs[0].mandatory,
                    advisory: runs[0].advisory,
                    mandatoryPolicies: runs[0].mandatoryPolicies,
                };
            }),
            pack: p.packSizes.map((n) => {
                const runs = pack.get(n)!;
                return {
                    target: n,
                    resources: runs[0].resources,
                    copies: runs[0].copies,
                    ms: round(packMs(n)),
                    runsMs: runs.map((r) => round(r.ms)),
                    mandatory: runs[0].mandatory,
                    advisory: runs[0].advisory,
                    byPolicy: runs[0].byPolicy,
                };
            }),
            large: {
                ...largeMeta,
                command: `node ${path.relative(repoRoot, build.bin)} audit <large.json> --json <out> --diagram <out> -q`,
                runsMs: largeRuns.map((r) => round(r.ms)),
                cpuMsRuns: largeRuns.map((r) => round(r.cpuMs)),
                rssMbRuns: largeRuns.map((r) => round(r.rssKb / 1024, 1)),
            },
            criticalPath: { declared: chainSummary(declared), data: chainSummary(data) },
            orderingOnlyEdges: orderingOnlyEdges(plan.resources),
            unlistedTypes: [
                ...new Set(
                    plan.resources
                        .filter((r) => provisioningTime(r.type, r.custom).source.includes("not in the table"))
                        .map((r) => r.type),
                ),
            ],
            durationS: 0,
        };
        details.durationS = round((performance.now() - began) / 1000, 1);

        process.stdout.write(report(figures, details));
        if (options.json) {
            fs.writeFileSync(options.json, JSON.stringify({ ...figures, details }, null, 2) + "\n");
            log(`wrote ${options.json}`);
        }

        const missing = Object.entries(figures).filter(([, v]) => typeof v !== "number" || !Number.isFinite(v));
        if (missing.length > 0) {
            process.stderr.write(`bench: not a finite number: ${missing.map(([k, v]) => `${k}=${v}`).join(", ")}\n`);
            return 1;
        }
        if (options.strict && !options.quick && verdicts(figures).some((v) => !v.met)) return 1;
        return 0;
    } finally {
        fs.rmSync(tmp, { recursive: true, force: true });
    }
}

function kLowOf(ks: number[]): number {
    return ks[0];
}

function kHighOf(ks: number[]): number {
    return ks[ks.length - 1];
}

function round(v: number, digits = 0): number {
    const f = 10 ** digits;
    return Math.round(v * f) / f;
}

function chainSummary(cp: CriticalPath) {
    return {
        minutes: round(cp.minutes, 2),
        chain: cp.chain.map((s) => ({ name: s.name, type: shortType(s.type), minutes: s.minutes, at: round(s.at, 2) })),
    };
}

type Figures = Record<
    | "floorMs"
    | "planDevMs"
    | "planToFloor"
    | "planFirewallMs"
    | "planFirewallToFloor"
    | "scaleRatio"
    | "packRatio"
    | "pack10kMs"
    | "criticalPathRatio"
    | "criticalPathMinutes"
    | "peakRssMb"
    | "audit100kMs"
    | "audit100kCpuMs"
    | "audit100kRssMb"
    | "auditTo10k",
    number
>;

interface LargeMeta {
    resources: number;
    copies: number;
    bytes: number;
}

function verdicts(f: Figures) {
    return [
        {
            name: "planToFloor",
            value: f.planToFloor,
            target: `<= ${targets.planToFloor}`,
            met: f.planToFloor <= targets.planToFloor,
        },
        {
            name: "planFirewallToFloor",
            value: f.planFirewallToFloor,
            target: `<= ${targets.planFirewallToFloor}`,
            met: f.planFirewallToFloor <= targets.planFirewallToFloor,
        },
        {
            name: "scaleRatio",
            value: f.scaleRatio,
            target: `<= ${targets.scaleRatio}`,
            met: f.scaleRatio <= targets.scaleRatio,
        },
        {
            name: "packRatio",
            value: f.packRatio,
            target: `<= ${targets.packRatio}`,
            met: f.packRatio <= targets.packRatio,
        },
        {
            name: "pack10kMs",
            value: f.pack10kMs,
            target: `< ${targets.pack10kMs}`,
            met: f.pack10kMs < targets.pack10kMs,
        },
        {
            name: "audit100kCpuMs",
            value: f.audit100kCpuMs,
            target: `< ${targets.audit100kCpuMs}`,
            met: f.audit100kCpuMs < targets.audit100kCpuMs,
        },
        {
            name: "audit100kRssMb",
            value: f.audit100kRssMb,
            target: `< ${targets.audit100kRssMb}`,
            met: f.audit100kRssMb < targets.audit100kRssMb,
        },
        {
            name: "criticalPathRatio",
            value: f.criticalPathRatio,
            target: `= ${targets.criticalPathRatio.toFixed(1)}`,
            met: Math.abs(f.criticalPathRatio - targets.criticalPathRatio) < 0.005,
        },
    ];
}

/** The part of the JSON's `details` the table shows. */
interface ReportDetails {
    mode: string;
    machine: { node: string; nproc: number; cpu: string; loadAverage: number[] };
    runsMs: { floor: number[]; planDev: number[]; planDevSource: number[] };
    planDevSourceMs: number;
    cpuMs: { floor: number; planDev: number; planToFloor: number };
    floorRssMb: number;
    devPlan: { mandatory: number; advisory: number };
    scale: {
        k: number;
        processMs: number;
        resources: number;
        ms: number;
        renderMs: number;
        packMs: number;
        mandatory: number;
        advisory: number;
        mandatoryPolicies: string[];
    }[];
    pack: { resources: number; copies: number; ms: number; mandatory: number; advisory: number }[];
    large: LargeMeta & { runsMs: number[]; cpuMsRuns: number[] };
    criticalPath: Record<"declared" | "data", { minutes: number; chain: { name: string; minutes: number }[] }>;
    unlistedTypes: string[];
    durationS: number;
}

function report(f: Figures, d: ReportDetails): string {
    const lines: string[] = [];
    const row = (label: string, value: string, note = ""): void => {
        lines.push(`  ${label.padEnd(44)} ${value.padStart(12)}  ${note}`);
    };
    const ms = (v: number) => `${v.toFixed(0)} ms`;
    const m = d.machine;
    lines.push(
        `secure-azureml benchmark (${d.mode}) · node ${m.node} · nproc ${m.nproc} (${m.cpu}) · load ${m.loadAverage.join(" ")}`,
    );
    lines.push(
        `Medians of fresh processes; ${d.mode === "quick" ? "quick mode: fewer runs, small sizes; targets informative only" : "full mode"}.`,
    );
    lines.push("");
    lines.push("Process cost");
    row("floor (node + pulumi + azure-native + random)", ms(f.floorMs), `runs ${d.runsMs.floor.join(" ")}`);
    row("planDev: plan --stack dev (compiled bin)", ms(f.planDevMs), `runs ${d.runsMs.planDev.join(" ")}`);
    row("planToFloor", f.planToFloor.toFixed(2), `target <= ${targets.planToFloor}`);
    row(
        "  CPU time (user+sys): floor / planDev",
        `${d.cpuMs.floor} / ${d.cpuMs.planDev}`,
        `ratio ${d.cpuMs.planToFloor.toFixed(2)} (robust to a busy machine)`,
    );
    if (d.runsMs.planDevSource.length > 0) {
        row(
            "  (repo bin from sources, not a target)",
            ms(d.planDevSourceMs),
            `${(d.planDevSourceMs / f.floorMs).toFixed(2)} x floor`,
        );
    }
    row("peak RSS of plan --stack dev", `${f.peakRssMb.toFixed(1)} MB`, `floor ${d.floorRssMb} MB`);
    lines.push("");
    lines.push("Scale: k workspaces on one shared MlNetwork + DNS zones (render + runPack, in process)");
    for (const s of d.scale) {
        row(
            `k = ${s.k} (${s.resources} resources)`,
            ms(s.ms),
            `render ${s.renderMs} + pack ${s.packMs} (whole process ${s.processMs}); violations ${s.mandatory} mandatory / ${s.advisory} advisory${s.mandatoryPolicies.length ? ` [${s.mandatoryPolicies.join(", ")}]` : ""}`,
        );
    }
    row(
        `scaleRatio t(${d.scale[d.scale.length - 1].k})/t(${d.scale[0].k})`,
        f.scaleRatio.toFixed(2),
        `target <= ${targets.scaleRatio}; resources x${(d.scale[d.scale.length - 1].resources / d.scale[0].resources).toFixed(1)}, whole-process ratio ${(d.scale[d.scale.length - 1].processMs / d.scale[0].processMs).toFixed(2)}`,
    );
    lines.push("");
    lines.push("Policy evaluation alone: runPack over synthetic valid stacks (dev plan cloned)");
    for (const s of d.pack) {
        row(
            `${s.resources} resources (${s.copies} clones)`,
            ms(s.ms),
            `violations ${s.mandatory} mandatory / ${s.advisory} advisory (dev plan: ${d.devPlan.mandatory} / ${d.devPlan.advisory} per copy)`,
        );
    }
    row(
        `packRatio t(${d.pack[d.pack.length - 1].resources})/t(${d.pack[0].resources})`,
        f.packRatio.toFixed(2),
        `target <= ${targets.packRatio}`,
    );
    row(
        `largest stack (pack10kMs)`,
        ms(f.pack10kMs),
        d.mode === "quick" ? "(quick: ~1,000 resources)" : `target < ${targets.pack10kMs} ms`,
    );
    lines.push("");
    lines.push(
        "Large stack: the whole CLI path (read, runPack, plan JSON, diagram, -q summary line) in a fresh process",
    );
    row(
        `audit of ${d.large.resources} resources (audit100kMs)`,
        ms(f.audit100kMs),
        `runs ${d.large.runsMs.join(" ")}; ${d.large.copies} dev clones, ${(d.large.bytes / 2 ** 20).toFixed(0)} MB of JSON`,
    );
    row(
        "  CPU time, user+sys (audit100kCpuMs)",
        ms(f.audit100kCpuMs),
        d.mode === "quick"
            ? `(quick: ~10,000 resources; the target is for 100,000); runs ${d.large.cpuMsRuns.join(" ")}`
            : `target < ${targets.audit100kCpuMs} ms; runs ${d.large.cpuMsRuns.join(" ")}`,
    );
    row(
        "peak RSS of that audit (audit100kRssMb)",
        `${f.audit100kRssMb.toFixed(1)} MB`,
        `target < ${targets.audit100kRssMb} MB`,
    );
    row(
        `auditTo10k t(audit ${d.large.resources})/pack10kMs`,
        f.auditTo10k.toFixed(2),
        `the whole audit of ${(d.large.resources / d.pack[d.pack.length - 1].resources).toFixed(0)}x the resources over runPack alone on the largest pack stack`,
    );
    lines.push("");
    lines.push("Deployment critical path of a first `pulumi up` (bench/provisioning-times.ts)");
    row(
        "declared dependencies",
        `${d.criticalPath.declared.minutes.toFixed(2)} min`,
        chainText(d.criticalPath.declared.chain),
    );
    row(
        "data dependencies only",
        `${d.criticalPath.data.minutes.toFixed(2)} min`,
        chainText(d.criticalPath.data.chain),
    );
    row("criticalPathRatio", f.criticalPathRatio.toFixed(3), "target 1.0");
    if (d.unlistedTypes.length)
        lines.push(`  (types without a table entry, 0.5 min assumed: ${d.unlistedTypes.join(", ")})`);
    lines.push("");
    lines.push("Targets");
    // Quick mode's pack and audit stacks are smaller than these targets' sizes: shown, not judged.
    const sized = new Set(["pack10kMs", "audit100kCpuMs", "audit100kRssMb"]);
    for (const v of verdicts(f)) {
        const verdict = d.mode === "quick" && sized.has(v.name) ? "(quick: smaller stack)" : v.met ? "met" : "NOT MET";
        lines.push(`  ${v.name.padEnd(20)} ${String(v.value).padStart(10)}  ${v.target.padEnd(8)} ${verdict}`);
    }
    lines.push(`(${d.durationS} s)`);
    return lines.join("\n") + "\n";
}

function chainText(chain: { name: string; minutes: number }[]): string {
    return chain.map((s) => `${s.name} (${s.minutes})`).join(" -> ");
}

main().then(
    (code) => {
        process.exitCode = code;
    },
    (err) => {
        process.stderr.write(`bench: ${err instanceof Error ? err.message : String(err)}\n`);
        process.exitCode = 1;
    },
);
