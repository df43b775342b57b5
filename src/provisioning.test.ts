/**
 * The yaml package's browser build is ESM, which jest does not load: resolve its Node build.
 * @jest-environment-options {"customExportConditions": ["node", "require"]}
 */
/**
 * Checks of provisioning/ as Grafana would read it: the dashboards against @grafana/schema's
 * Dashboard type (the TypeScript compiler checks the JSON as an object literal of that type, so a
 * misspelt key, a wrong type or a bad enum value fails), every datasource uid a dashboard or alert
 * rule names against provisioning/datasources/, every panel type against what exists.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { parse } from 'yaml';

const REPO = join(__dirname, '..');
const PROVISIONING = join(REPO, 'provisioning');

function filesUnder(dir: string, ext: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith(ext))
    .map((e) => join(e.parentPath, e.name));
}

interface Ref {
  uid?: string;
  type?: string;
}
interface PanelJSON {
  id: number;
  type: string;
  title: string;
  gridPos: { x: number; y: number; w: number; h: number };
  datasource?: Ref;
  targets?: Array<Record<string, unknown> & { datasource?: Ref }>;
}
interface DashboardJSON {
  uid: string;
  title: string;
  panels: PanelJSON[];
  templating?: { list: Array<{ name: string; datasource?: Ref; current?: { value?: string } }> };
}

const dashboardFiles = filesUnder(join(PROVISIONING, 'dashboards'), '.json');
const dashboards = dashboardFiles.map((f) => ({
  file: relative(REPO, f),
  json: JSON.parse(readFileSync(f, 'utf8')) as DashboardJSON,
}));
const datasources = filesUnder(join(PROVISIONING, 'datasources'), '.yaml').flatMap(
  (f) => (parse(readFileSync(f, 'utf8')) as { datasources: Array<{ uid: string; type: string }> }).datasources
);
const alertFiles = filesUnder(join(PROVISIONING, 'alerting'), '.yaml');
const services = dashboards.find((d) => d.json.uid === 'spanflame-services')!.json;

/** Type-checks `source` (which imports from @grafana/schema) with the TypeScript compiler; returns its errors. */
function typeErrors(source: string): string[] {
  const file = join(REPO, 'src', '__dashboard_check__.ts');
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    types: [],
  };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile;
  host.getSourceFile = (name, version, ...rest) =>
    name === file ? ts.createSourceFile(name, source, version) : getSourceFile(name, version, ...rest);
  const fileExists = host.fileExists;
  host.fileExists = (name) => name === file || fileExists(name);
  const program = ts.createProgram([file], options, host);
  return ts
    .getPreEmitDiagnostics(program)
    .filter((d) => d.file?.fileName === file)
    .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

/**
 * The dashboard as a literal of `AsJSON<Dashboard>`: Dashboard with each string enum (ThresholdsMode,
 * say) replaced by its values, which is all JSON can hold. Numeric enums stay: a number that is
 * not a member's value still fails.
 */
const asDashboard = (json: unknown) => `import type { Dashboard } from '@grafana/schema';
type AsJSON<T> = T extends string
  ? string extends T ? string : \`\${T}\`
  : T extends Array<infer U>
    ? Array<AsJSON<U>>
    : T extends object
      ? { [K in keyof T]: AsJSON<T[K]> }
      : T;
export const dashboard: AsJSON<Dashboard> = ${JSON.stringify(json, null, 2)};
`;

describe('provisioned dashboards', () => {
  it.each(dashboards.map((d) => [d.file, d.json] as const))(
    '%s type-checks as @grafana/schema Dashboard',
    (_, json) => {
      expect(typeErrors(asDashboard(json))).toEqual([]);
    }
  );

  it('the type check catches a dashboard Grafana would not read', () => {
    const broken = { ...services, graphTooltip: 7, panels: [{ ...services.panels[0], gridPos: { x: 'left' } }] };
    const errors = typeErrors(asDashboard(broken));
    expect(typeErrors(asDashboard({ ...services, refrsh: '1m' })).join('\n')).toMatch(/refrsh.* does not exist/);
    expect(errors.join('\n')).toMatch(/graphTooltip|DashboardCursorSync/);
    expect(errors.join('\n')).toMatch(/string.*number|'x'/);
  });

  it('names only datasources that provisioning/datasources/ defines, with their types', () => {
    const byUid = new Map(datasources.map((ds) => [ds.uid, ds.type]));
    for (const { file, json } of dashboards) {
      const refs: Array<[string, Ref]> = [
        ...json.panels.flatMap((p) => [
          ...(p.datasource ? [[`panel "${p.title}"`, p.datasource] as [string, Ref]] : []),
          ...(p.targets ?? []).map(
            (t) => [`panel "${p.title}" query ${t.refId}`, t.datasource ?? p.datasource ?? {}] as [string, Ref]
          ),
        ]),
        ...(json.templating?.list ?? []).map((v) => [`variable ${v.name}`, v.datasource ?? {}] as [string, Ref]),
      ];
      for (const [where, ref] of refs) {
        expect({ file, where, uid: ref.uid, type: byUid.get(ref.uid ?? '') }).toEqual({
          file,
          where,
          uid: ref.uid,
          type: ref.type,
        });
      }
    }
  });

  it("uses only panel types that exist: Grafana core panels or the app's nested panels", () => {
    const app = JSON.parse(readFileSync(join(REPO, 'src/plugin.json'), 'utf8')) as {
      includes: Array<{ type: string; path: string }>;
    };
    const nested = app.includes
      .filter((i) => i.type === 'panel')
      .map((i) => (JSON.parse(readFileSync(join(REPO, 'src', i.path), 'utf8')) as { id: string }).id);
    const core = ['timeseries', 'stat', 'table', 'text', 'row', 'flamegraph', 'heatmap', 'bargauge', 'gauge'];
    for (const { json } of dashboards) {
      for (const panel of json.panels) {
        expect([...core, ...nested]).toContain(panel.type);
      }
    }
    expect(services.panels.map((p) => p.type)).toEqual(expect.arrayContaining(nested));
  });

  it('lays panels on the 24-column grid without overlaps', () => {
    const cells = new Set<string>();
    for (const { gridPos: g, title } of services.panels) {
      expect(g.x + g.w).toBeLessThanOrEqual(24);
      for (let x = g.x; x < g.x + g.w; x++) {
        for (let y = g.y; y < g.y + g.h; y++) {
          expect({ title, cell: cells.has(`${x},${y}`) ? `${x},${y} taken` : 'free' }).toEqual({ title, cell: 'free' });
          cells.add(`${x},${y}`);
        }
      }
    }
  });

  it("RED panels query Beyla's metric names with $__rate_interval", () => {
    const exprs = services.panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr)).filter(Boolean) as string[];
    expect(exprs.length).toBeGreaterThanOrEqual(4);
    for (const expr of exprs) {
      expect(expr).toMatch(/\[\$__rate_interval\]/);
      expect(expr).toMatch(
        /http_server_request_duration_seconds_(count|bucket)|rpc_server_(call_)?duration_seconds_count/
      );
    }
    expect(exprs.join(' ')).toMatch(/http_response_status_code=~"5\.\."/);
  });

  it('is found by the file provider, whose path is where docker-compose mounts the JSON', () => {
    const provider = parse(readFileSync(join(PROVISIONING, 'dashboards/spanflame.yaml'), 'utf8')) as {
      providers: Array<{ type: string; options: { path: string } }>;
    };
    const mounted = provider.providers[0].options.path.replace('/etc/grafana/provisioning', PROVISIONING);
    expect(filesUnder(mounted, '.json').map((f) => relative(REPO, f))).toContain(
      'provisioning/dashboards/spanflame/services.json'
    );
  });
});

describe('provisioned alert rule', () => {
  const rules = alertFiles.flatMap((f) =>
    (
      parse(readFileSync(f, 'utf8')) as {
        groups: Array<{
          interval: string;
          rules: Array<Record<string, unknown> & { data: Array<Record<string, any>> }>;
        }>;
      }
    ).groups.flatMap((g) => g.rules)
  );
  const rule = rules.find((r) => r.uid === 'spanflame-missing-trace-link')!;

  it('fires per service when the coverage query says more than 40% has no trace link for 10 minutes', () => {
    const [query, threshold] = rule.data;
    expect(rule.condition).toBe(threshold.refId);
    expect(rule.for).toBe('10m');
    expect(query.datasourceUid).toBe('spanflame-parca');
    expect(query.model).toMatchObject({ queryType: 'coverage', groupBy: ['service_name'] });
    expect(threshold.model).toMatchObject({
      type: 'threshold',
      expression: query.refId,
      conditions: [{ evaluator: { type: 'gt', params: [40] } }],
    });
  });

  it('names only datasources that exist, and the profile type the dashboard starts with', () => {
    const uids = new Set(datasources.map((ds) => ds.uid));
    for (const r of rules) {
      for (const q of r.data) {
        expect(q.datasourceUid === '__expr__' || uids.has(q.datasourceUid)).toBe(true);
      }
    }
    const profileType = services.templating!.list.find((v) => v.name === 'profile_type')!.current!.value;
    expect(rule.data[0].model.profileType).toBe(profileType);
    expect(rule.dashboardUid).toBe(services.uid);
    expect(services.panels.find((p) => p.id === rule.panelId)?.type).toBe('spanflame-coverage-panel');
  });
});
