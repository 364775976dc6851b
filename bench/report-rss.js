"use strict";
// Preloaded into a benchmarked child (`node -r bench/report-rss.js …`): at exit, writes the process's
// peak resident set size (`process.resourceUsage().maxRSS`, kilobytes) and its CPU time (user + system,
// milliseconds) as JSON to $BENCH_RSS_FILE. CPU time is the figure a busy machine distorts least.
const fs = require("fs");

const out = process.env.BENCH_RSS_FILE;
if (out) {
    process.on("exit", () => {
        try {
            const usage = process.resourceUsage();
            const cpuMs = (usage.userCPUTime + usage.systemCPUTime) / 1000;
            fs.writeFileSync(out, JSON.stringify({ maxRssKb: usage.maxRSS, cpuMs }));
        } catch {
            // A benchmark must not change the child's exit status.
        }
    });
}
