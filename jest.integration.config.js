// Jest against the running local stack (scripts/stack.sh start; scripts/test.sh runs it in its
// stack suites): files named *.integration.ts, which the unit run (jest.config.js) leaves out.
const unit = require('./jest.config');

module.exports = {
  ...unit,
  testMatch: ['<rootDir>/src/**/*.integration.ts'],
};
