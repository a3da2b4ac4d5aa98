// Writes spec.json, the static copy of what `spec` prints, from the built connector (run `npm run build` first).
import { writeFileSync } from 'node:fs';
import { specification } from '../dist/spec.js';

writeFileSync(new URL('../spec.json', import.meta.url), `${JSON.stringify(specification(), null, 2)}\n`);
console.log('wrote spec.json');
