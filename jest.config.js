// force timezone to UTC to allow tests to work regardless of local timezone
// generally used by snapshots, but can affect specific tests
process.env.TZ = 'UTC';

const { grafanaESModules, nodeModulesToTransform } = require('./.config/jest/utils');
const scaffold = require('./.config/jest.config');
const [swcTransform] = Object.values(scaffold.transform);

module.exports = {
  // Jest configuration provided by Grafana scaffolding
  ...scaffold,
  // @grafana/ui 13.2 pulls in ESM-only packages (some as .mjs) that the scaffold's list predates, and
  // d3-flame-graph's UMD build requires the d3 modules, which resolve to their ESM builds here.
  transform: { '^.+\\.m?(t|j)sx?$': swcTransform },
  transformIgnorePatterns: [
    nodeModulesToTransform([...grafanaESModules, '@react-hookz', '@ver0', 'd3-[a-z-]+', 'internmap']),
  ],
};
