import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { DECLARATIONS, generateValidators, VALIDATORS_FILE } from '../../runtime/build/generate-validators.ts';

it('keeps the precompiled validators in step with the schemas', () => {
  const onDisk = readFileSync(VALIDATORS_FILE, 'utf8');
  expect(onDisk === generateValidators(), 'runtime/spec/generated/validators.js is stale: run `npm run gen:schema`').toBe(true);
  expect(readFileSync(VALIDATORS_FILE.replace(/\.js$/, '.d.ts'), 'utf8')).toBe(DECLARATIONS);
});
