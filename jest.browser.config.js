/** Browser tests (`npm run test:browser`): Playwright driving Debian's Chromium against the built API and worker. */
import base from './jest.config.js';

export default {
  ...base,
  testMatch: ['<rootDir>/test/browser/**/*.browser.ts'],
  testTimeout: 300000,
};
