// `weir schema`: where the JSON Schemas are, and how to point an editor at them.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { installRoot } from '../install-root.ts';

const schemaDir = join(installRoot, 'schema') + '/';

export function schemaCommand(opts: { print?: 'project' | 'spec' }): void {
  if (opts.print) {
    process.stdout.write(readFileSync(`${schemaDir}${opts.print}.schema.json`, 'utf8'));
    return;
  }
  process.stdout.write(
    [
      `project schema (weir.yaml):  ${schemaDir}project.schema.json`,
      `spec schema (spec files):    ${schemaDir}spec.schema.json`,
      '',
      'Editors with the YAML language server (VS Code: Red Hat YAML) read a first-line comment:',
      `  # yaml-language-server: $schema=${schemaDir}spec.schema.json`,
      'or map files to schemas in settings.json:',
      `  "yaml.schemas": { "${schemaDir}project.schema.json": "weir.yaml", "${schemaDir}spec.schema.json": "specs/**/*.yaml" }`,
      '',
    ].join('\n'),
  );
}
