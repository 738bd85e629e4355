// Reads a Chromium .cpuprofile (school.mjs with BENCH_PROFILE) and prints where the main thread's
// long stretches went: every run of busy samples (anything but idle: the browser's own work and
// garbage collection inside a task count) of 50 ms or more, and for each the functions that took most of it (inclusive time, a function
// counted once per sample however deep it recurses), then the same over the whole profile.
// `node profile.mjs <file> [functions per stretch]`. A wasm built with names kept (Trunk's
// data-keep-debug, no wasm-opt) names Rust functions; otherwise they are wasm-function[N].
import { readFileSync } from 'node:fs';

const [file, perStretch = '12'] = process.argv.slice(2);
if (!file) throw new Error('usage: node profile.mjs <file.cpuprofile> [functions per stretch]');
const profile = JSON.parse(readFileSync(file, 'utf8'));

const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const IDLE = new Set(['(idle)']);
const OVERHEAD = new Set(['(idle)', '(program)', '(garbage collector)']);
const name = (n) => {
  const f = n.callFrame;
  const where = f.url ? ` ${f.url.split('/').pop()}` : '';
  return `${f.functionName || '(anonymous)'}${f.url && !f.functionName ? where : ''}`;
};
const stack = (id) => {
  const names = [];
  for (let at = id; at !== undefined; at = parent.get(at)) names.push(name(nodes.get(at)));
  return names;
};

// Sample times in ms from the profile's start.
let t = 0;
const samples = profile.samples.map((id, i) => {
  t += (profile.timeDeltas[i] ?? 0) / 1000;
  return { id, t, busy: !IDLE.has(name(nodes.get(id))) };
});

function top(from, to, limit) {
  const inclusive = new Map();
  const self = new Map();
  for (let i = from; i < to; i += 1) {
    const s = samples[i];
    const dt = (samples[i + 1]?.t ?? s.t) - s.t;
    const names = stack(s.id);
    self.set(names[0], (self.get(names[0]) ?? 0) + dt);
    for (const n of new Set(names)) inclusive.set(n, (inclusive.get(n) ?? 0) + dt);
  }
  const sorted = (m) => [...m].sort((a, b) => b[1] - a[1]).slice(0, limit);
  return { inclusive: sorted(inclusive), self: sorted(self) };
}

const print = (title, rows) => {
  console.log(`  ${title}`);
  for (const [n, ms] of rows) console.log(`    ${ms.toFixed(1).padStart(8)} ms  ${n.slice(0, 150)}`);
};

// The page's own long tasks when school.mjs saved them (their start on the page's clock, which
// the profile started at `profiledFrom`); otherwise busy stretches: consecutive busy samples with
// gaps under 2 ms (tasks that follow each other with no idle time between them run together).
const stretches = [];
const page = profile.page;
const firstAfter = (ms) => {
  const i = samples.findIndex((s) => s.t >= ms);
  return i < 0 ? samples.length : i;
};
for (const [start, duration] of page?.longTasks ?? []) {
  const from = start - page.profiledFrom;
  if (from + duration < 0) continue;
  stretches.push({ from: firstAfter(from), to: firstAfter(from + duration), start: from, length: duration });
}
for (let i = 0; !page && i < samples.length;) {
  if (!samples[i].busy) { i += 1; continue; }
  let j = i;
  while (j + 1 < samples.length && samples[j + 1].busy && samples[j + 1].t - samples[j].t < 2) j += 1;
  const length = samples[j].t - samples[i].t;
  if (length >= 50) stretches.push({ from: i, to: j + 1, start: samples[i].t, length });
  i = j + 1;
}
const overhead = samples.filter((s) => OVERHEAD.has(name(nodes.get(s.id)))).length;
console.log(`${file}: ${samples.length} samples over ${t.toFixed(0)} ms; ${samples.length - overhead} in scripts; ${stretches.length} stretches of 50 ms or more`);
for (const s of stretches) {
  console.log(`\nstretch at ${s.start.toFixed(0)} ms, ${s.length.toFixed(0)} ms long`);
  const { inclusive, self } = top(s.from, s.to, Number(perStretch));
  print('inclusive', inclusive);
  print('self', self.slice(0, 6));
}
console.log('\nwhole profile');
const all = top(0, samples.length, 30);
print('inclusive', all.inclusive);
print('self', all.self.slice(0, 15));
