import { expect as baseExpect, type Page, test as base } from '@playwright/test';
import { gunzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { type FlameGraphServer, listFixtures, startFlameGraphServer } from './server.cjs';

export { listFixtures };

export const SCREENSHOTS = path.resolve(__dirname, '../artifacts/flamegraph');

/** The harness server, started once per worker: bundling the pages takes a few seconds. */
export const test = base.extend<{ harness: Harness }, { flameServer: FlameGraphServer }>({
  flameServer: [
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      const server = await startFlameGraphServer();
      await use(server);
      await server.close();
    },
    { scope: 'worker', timeout: 120_000 },
  ],
  harness: async ({ page, flameServer }, use) => {
    await use(new Harness(page, flameServer.url));
  },
});
/** Patient assertions: the machine these run on is shared and often loaded several times over. */
export const expect = baseExpect.configure({ timeout: 20_000 });

export class Harness {
  constructor(
    readonly page: Page,
    readonly url: string
  ) {}

  /** Opens the harness page and waits until the component has drawn (or shown its state). */
  async open(params: Record<string, string | number>) {
    const query = new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)]));
    await this.page.goto(`${this.url}/harness.html?${query}`);
    await this.page.waitForFunction(() => window.harness?.ready === true);
    const error = await this.page.evaluate(() => window.harness?.error);
    expect(error, 'harness page failed').toBeUndefined();
  }

  frames() {
    return this.page.locator('[data-testid="flame-chart"] g.frame');
  }

  /** A drawn frame by its exact label (d3-flame-graph puts the name on each frame's <g>). */
  frame(name: string) {
    return this.page.locator(`[data-testid="flame-chart"] g.frame[name="${name.replace(/"/g, '\\"')}"]`);
  }

  async screenshot(name: string) {
    await this.page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
  }

  /** How many frames the chart drew in bulk as slivers (too narrow for a <g> of their own). */
  async sliverCount(): Promise<number> {
    return Number(await this.page.locator('[data-testid="flame-chart"] svg').getAttribute('data-sliver-count'));
  }

  /** Fill colours of the sliver paths (one path per colour). */
  async sliverFills(): Promise<string[]> {
    return this.page.$$eval('[data-testid="flame-chart"] svg > path.sliver-frames', (paths) =>
      paths.map((path) => path.getAttribute('fill') ?? '')
    );
  }

  /**
   * Page coordinates of the middle of the widest sliver, read from the paths' rectangles
   * (`M x y h w v h h -w z` each), so the pointer can go where a person would see the frame.
   */
  async widestSliver(): Promise<{ x: number; y: number; widthPx: number }> {
    return this.page.$eval('[data-testid="flame-chart"] svg', (svg) => {
      const bounds = svg.getBoundingClientRect();
      let best = { x: 0, y: 0, widthPx: 0 };
      svg.querySelectorAll('path.sliver-frames').forEach((path) => {
        const boxes = (path.getAttribute('d') ?? '').matchAll(/M([\d.]+) ([\d.]+)h([\d.]+)v([\d.]+)/g);
        for (const [, x, y, w, h] of boxes) {
          if (Number(w) > best.widthPx) {
            best = {
              x: bounds.left + Number(x) + Number(w) / 2,
              y: bounds.top + Number(y) + Number(h) / 2,
              widthPx: Number(w),
            };
          }
        }
      });
      return best;
    });
  }

  /** Fill colour and label of every drawn frame. */
  async frameColors(): Promise<Array<{ name: string; fill: string }>> {
    return this.page.$$eval('[data-testid="flame-chart"] g.frame', (frames) =>
      frames.map((g) => ({
        name: g.getAttribute('name') ?? '',
        fill: g.querySelector('rect')?.getAttribute('fill') ?? '',
      }))
    );
  }
}

/** A fixture's JSON text (inflated, golden-file comments removed). */
export function fixtureText(name: string): string {
  const file = listFixtures()[name];
  const text = file.endsWith('.gz') ? gunzipSync(readFileSync(file)).toString('utf8') : readFileSync(file, 'utf8');
  return text
    .split('\n')
    .filter((line) => !line.startsWith('//'))
    .join('\n');
}

interface FrameJSON {
  schema: {
    meta?: { notices?: Array<{ text: string }> };
    fields: Array<{ name: string; config?: { type?: { enum?: { text: string[] } } } }>;
  };
  data: { values: Array<Array<number | string>> };
}

/** The flame graph frame of a fixture (a response may hold several frames). */
function fixtureFrameJSON(name: string): FrameJSON {
  const json = JSON.parse(fixtureText(name));
  if (json.frames) {
    return json.frames.find((f: FrameJSON) => f.schema.fields.some((x) => x.name === 'level'));
  }
  return json;
}

/** Notices the datasource attached to a fixture's flame graph frame. */
export function fixtureNotices(name: string): string[] {
  return (fixtureFrameJSON(name).schema.meta?.notices ?? []).map((notice) => notice.text);
}

/** A fixture frame read in Node, to know what a person should see without asking the page. */
export function readFixtureFrame(name: string): { labels: string[]; level: number[]; value: number[]; self: number[] } {
  const json = fixtureFrameJSON(name);
  const fields = json.schema.fields;
  const column = (n: string) => json.data.values[fields.findIndex((f) => f.name === n)] as number[];
  const names = fields.find((f) => f.name === 'label')!.config?.type?.enum?.text;
  const labels = column('label').map((v) => (names ? names[v] : String(v)));
  return { labels, level: column('level'), value: column('value'), self: column('self') };
}

/** The widest frame at a depth: wide frames are drawn and labelled. */
export function widestFrameAt(name: string, depth: number): { label: string; share: number } {
  const frame = readFixtureFrame(name);
  let best = -1;
  for (let i = 1; i < frame.level.length; i++) {
    if (frame.level[i] === depth && (best < 0 || frame.value[i] > frame.value[best])) {
      best = i;
    }
  }
  return { label: frame.labels[best], share: frame.value[best] / frame.value[0] };
}

/** The widest frame directly under the root: what a person looks at first. */
export function widestTopFrame(name: string): { label: string; share: number } {
  return widestFrameAt(name, 1);
}

/** The function with the most self time in the whole profile (summed over call sites). */
export function hottestFunction(name: string): string {
  const frame = readFixtureFrame(name);
  const self = new Map<string, number>();
  frame.labels.forEach((label, i) => self.set(label, (self.get(label) ?? 0) + frame.self[i]));
  return [...self.entries()].sort((a, b) => b[1] - a[1])[0][0];
}
