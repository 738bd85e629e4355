// Reads a Chromium trace of the lead phone's first sync (school.mjs with BENCH_TRACE=<file>) and
// says what each main-thread task of 50 ms or more was made of: script (by what started it: a
// socket message, a timer, a frame callback, a promise), style, layout, paint, garbage collection,
// in milliseconds of that task. The CPU profile (BENCH_PROFILE) names the functions; this names
// the browser's own work the profile calls "(program)".
// `node trace.mjs <file> [--all]` (--all: every task, not only the long ones, summed).
import { readFileSync } from 'node:fs';

const [file, flag] = process.argv.slice(2);
if (!file) throw new Error('usage: node trace.mjs <trace.json> [--all]');
const { traceEvents } = JSON.parse(readFileSync(file, 'utf8'));

// The renderer's main thread: where the app's page ran (the thread named CrRendererMain with the
// most tasks, since the trace holds every renderer the browser had).
const names = new Map();
for (const e of traceEvents) {
  if (e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain') names.set(`${e.pid}:${e.tid}`, 0);
}
for (const e of traceEvents) {
  const key = `${e.pid}:${e.tid}`;
  if (names.has(key) && e.name === 'RunTask') names.set(key, names.get(key) + 1);
}
const main = [...names].sort((a, b) => b[1] - a[1])[0]?.[0];
if (!main) throw new Error('no renderer main thread in the trace');
const events = traceEvents
  .filter((e) => `${e.pid}:${e.tid}` === main && e.ph === 'X' && e.dur !== undefined)
  .sort((a, b) => a.ts - b.ts || b.dur - a.dur);

// What a task's time went to: the innermost named piece of work each stretch of it was in.
const KINDS = {
  UpdateLayoutTree: 'style', RecalculateStyles: 'style', Layout: 'layout', Paint: 'paint',
  PrePaint: 'paint', Layerize: 'paint', UpdateLayer: 'paint', 'MajorGC': 'gc', 'MinorGC': 'gc',
  'V8.GC_SCAVENGER': 'gc', 'V8.GC_MARK_COMPACTOR': 'gc', BlinkGC: 'gc', ParseHTML: 'parse',
  'v8.compile': 'compile', 'v8.compileModule': 'compile', 'v8.wasm.compiledModule': 'compile',
  'v8.wasm.streamFinished': 'compile', 'wasm.CompileLazy': 'compile', 'wasm.Instantiate': 'compile',
};
const SCRIPT_STARTS = {
  FunctionCall: 'script', EventDispatch: 'event', TimerFire: 'timer', FireAnimationFrame: 'frame callback',
  'v8.run': 'script', EvaluateScript: 'script', RunMicrotasks: 'promise', 'V8.Execute': 'script',
};

const tasks = events.filter((e) => e.name === 'RunTask' || e.name === 'ThreadControllerImpl::RunTask');
const long = flag === '--all' ? tasks : tasks.filter((t) => t.dur >= 50_000);
let at = 0;
const totals = new Map();
const add = (map, key, us) => map.set(key, (map.get(key) ?? 0) + us);
console.log(`${tasks.length} tasks on the main thread; ${tasks.filter((t) => t.dur >= 50_000).length} of 50 ms or more`);
for (const task of long) {
  const end = task.ts + task.dur;
  while (at < events.length && events[at].ts < task.ts) at++;
  const inside = [];
  for (let i = at; i < events.length && events[i].ts < end; i++) if (events[i] !== task) inside.push(events[i]);
  // Attribute each microsecond to the innermost event covering it, by sweeping the nested spans.
  const parts = new Map();
  const stack = [{ name: '(task)', end, kind: 'other' }];
  let now = task.ts;
  const kindOf = (e, outer) => KINDS[e.name] ?? (SCRIPT_STARTS[e.name] ? `script: ${SCRIPT_STARTS[e.name]}` : outer);
  const advance = (to) => {
    while (stack.length > 1 && stack[stack.length - 1].end <= to) {
      const top = stack.pop();
      add(parts, top.kind, top.end - now);
      now = top.end;
    }
    add(parts, stack[stack.length - 1].kind, to - now);
    now = to;
  };
  for (const e of inside) {
    advance(e.ts);
    const outer = stack[stack.length - 1].kind;
    const kind = outer.startsWith('script') && !KINDS[e.name] ? outer : kindOf(e, outer);
    stack.push({ name: e.name, end: Math.min(e.ts + e.dur, end), kind });
  }
  advance(end);
  for (const [k, v] of parts) add(totals, k, v);
  if (flag !== '--all') {
    const line = [...parts].filter(([, v]) => v >= 1000).sort((a, b) => b[1] - a[1])
      .map(([k, v]) => `${k} ${(v / 1000).toFixed(0)}`).join(', ');
    console.log(`${(task.dur / 1000).toFixed(0).padStart(4)} ms: ${line}`);
  }
}
console.log(`\nsummed over ${long.length} task(s):`);
for (const [k, v] of [...totals].sort((a, b) => b[1] - a[1])) console.log(`${(v / 1000).toFixed(0).padStart(7)} ms  ${k}`);
