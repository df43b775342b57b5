// force timezone to UTC to allow tests to work regardless of local timezone
// generally used by snapshots, but can affect specific tests
process.env.TZ = 'UTC';

const base = require('./.config/jest.config');

module.exports = {
  // Jest configuration provided by Grafana scaffolding
  ...base,
  // @grafana/data imports d3-interpolate 3.0.2, which jest resolves to an ES module file (.mjs) that
  // the scaffold's transform pattern (.js/.ts only) skips: transform .mjs with the same swc setup.
  transform: { ...base.transform, '^.+\\.mjs$': base.transform['^.+\\.(t|j)sx?$'] },
};
