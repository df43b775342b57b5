// What the page benchmarks share: their command-line options, percentiles and JSON calls.

const args = process.argv.slice(2);

/** The value after `--name` on the command line, else `fallback`. */
export function option(name, fallback) {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? args[at + 1] : fallback;
}

/** The p-th percentile (nearest rank) of values. */
export function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** "p50 X ms, p95 Y ms" of values. */
export function fmt(values) {
  if (values.length === 0) {
    return 'no samples';
  }
  return `p50 ${percentile(values, 50).toFixed(0)} ms, p95 ${percentile(values, 95).toFixed(0)} ms`;
}

/** GET (or `init`) a JSON answer; a failed call throws with its status and the start of its body. */
export async function json(url, init) {
  const res = await fetch(url, init);
  if (!res.ok) {
    throw new Error(`${init?.method ?? 'GET'} ${url}: ${res.status} ${(await res.text()).slice(0, 300)}`);
  }
  return res.json();
}
