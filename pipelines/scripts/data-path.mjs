// Prints the absolute path of a file in the data folder, for shell checks: `test -s "$(node scripts/data-path.mjs x)"`.
import { dataPath } from './step-io.mjs';

process.stdout.write(dataPath(process.argv[2] ?? '.') + '\n');
