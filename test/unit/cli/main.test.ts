import { main } from '../../../src/cli/main.js';

test('main returns an exit code', async () => {
  expect(await main([])).toBe(0);
});
