import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { readmeWithCodes } from '../../runtime/build/readme-codes.ts';

it('documents every diagnostic code in the README catalogue', () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  expect(readme === readmeWithCodes(readme), 'README.md codes table is stale: run `npm run gen:docs`').toBe(true);
});
