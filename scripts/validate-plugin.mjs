#!/usr/bin/env node
// Checks the built plugin in dist/ the way Grafana's plugin validator would, for the rules
// that need no network. (The validator itself cannot be installed here: the Go module proxy
// refuses github.com/grafana/plugin-validator, and its npm wrapper downloads a binary.)
// Usage: node scripts/validate-plugin.mjs [distDir]
import fs from 'node:fs';
import path from 'node:path';
import semver from 'semver';

const dist = path.resolve(process.argv[2] ?? 'dist');
const ID_PATTERN = /^[0-9a-z]+-([0-9a-z]+-)?(app|panel|datasource)$/;
const DATASOURCE_CATEGORIES = ['tsdb', 'logging', 'cloud', 'tracing', 'profiling', 'sql', 'enterprise', 'iot', 'other'];
const problems = [];
const problem = (where, what) => problems.push(`${where}: ${what}`);

function readPluginJson(dir) {
  const file = path.join(dir, 'plugin.json');
  const where = path.relative(process.cwd(), file);
  if (!fs.existsSync(file)) {
    problem(where, 'missing (run npm run build)');
    return undefined;
  }
  try {
    return { where, json: JSON.parse(fs.readFileSync(file, 'utf8')) };
  } catch (e) {
    problem(where, `not valid JSON: ${e.message}`);
    return undefined;
  }
}

function checkCommon(dir, { where, json }) {
  if (!ID_PATTERN.test(json.id ?? '')) {
    problem(where, `id "${json.id}" does not match ${ID_PATTERN}`);
  } else if (!json.id.endsWith(`-${json.type}`)) {
    problem(where, `id "${json.id}" must end with its type "-${json.type}"`);
  }
  if (!json.name) {
    problem(where, 'name is empty');
  }
  const info = json.info ?? {};
  if (!semver.valid(info.version)) {
    problem(where, `info.version "${info.version}" is not a semantic version (placeholder left?)`);
  }
  if (!/^\d{4}-\d{2}-\d{2}$/.test(info.updated ?? '')) {
    problem(where, `info.updated "${info.updated}" is not a date (placeholder left?)`);
  }
  if (!info.description) {
    problem(where, 'info.description is empty');
  }
  if (!info.author?.name) {
    problem(where, 'info.author.name is empty');
  }
  if (!info.keywords?.length) {
    problem(where, 'info.keywords is empty');
  }
  for (const size of ['small', 'large']) {
    const logo = info.logos?.[size];
    if (!logo || !fs.existsSync(path.join(dir, logo))) {
      problem(where, `info.logos.${size} "${logo}" is not in ${path.relative(process.cwd(), dir)}`);
    }
  }
  const range = json.dependencies?.grafanaDependency;
  if (!range || !semver.validRange(range)) {
    problem(where, `dependencies.grafanaDependency "${range}" is not a semver range`);
  }
  if (!fs.existsSync(path.join(dir, 'module.js'))) {
    problem(where, 'module.js is missing next to plugin.json');
  }
  if (json.backend) {
    const exe = json.executable ?? '';
    if (!exe.startsWith('gpx_')) {
      problem(where, `executable "${exe}" must start with gpx_`);
    }
    const binary = path.join(dir, `${exe}_linux_amd64`);
    if (!fs.existsSync(binary)) {
      problem(where, `backend binary ${path.relative(process.cwd(), binary)} is missing (run mage build:linux)`);
    } else if ((fs.statSync(binary).mode & 0o111) === 0) {
      problem(where, `${path.relative(process.cwd(), binary)} is not executable`);
    }
  }
}

const app = readPluginJson(dist);
const nestedIds = [];
if (app) {
  checkCommon(dist, app);
  if (app.json.type !== 'app') {
    problem(app.where, `type is "${app.json.type}", expected "app"`);
  }
  for (const include of app.json.includes ?? []) {
    if (include.type === 'page' && !String(include.path ?? '').startsWith(`/a/${app.json.id}/`)) {
      problem(app.where, `page "${include.name}" path must start with /a/${app.json.id}/`);
    }
    if (include.type === 'datasource' || include.type === 'panel') {
      const nested = readPluginJson(path.join(dist, path.dirname(include.path)));
      if (!nested) {
        continue;
      }
      checkCommon(path.join(dist, path.dirname(include.path)), nested);
      nestedIds.push(nested.json.id);
      if (nested.json.type !== include.type) {
        problem(nested.where, `type is "${nested.json.type}", but the app includes it as a ${include.type}`);
      }
      if (include.type === 'datasource') {
        const ds = nested.json;
        if (!DATASOURCE_CATEGORIES.includes(ds.category)) {
          problem(nested.where, `category "${ds.category}" is not one of ${DATASOURCE_CATEGORIES.join(', ')}`);
        }
        if (ds.alerting && !ds.backend) {
          problem(nested.where, 'alerting needs a backend');
        }
      }
    }
  }
  for (const ext of app.json.extensions?.addedLinks ?? []) {
    if ((ext.title ?? '').length < 10) {
      problem(app.where, `extension link "${ext.title}" needs a title of at least 10 characters`);
    }
  }
}

if (problems.length > 0) {
  console.error(`plugin package in ${dist} has ${problems.length} problem(s):`);
  for (const p of problems) {
    console.error(`  - ${p}`);
  }
  process.exit(1);
}
console.log(
  `plugin package in ${path.relative(process.cwd(), dist) || '.'} is valid: ${app.json.id} with nested ${nestedIds.join(', ')}`
);
