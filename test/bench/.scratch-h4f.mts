import { keys } from '../../runtime/spec/partitions.ts';
const now = new Date('2026-11-01T00:00:00Z');
for (let r = 0; r < 4; r++) { const t = performance.now(); const k = keys({ kind: 'time', cadence: 'hourly', start: '2015-01-01', timezone: 'America/New_York' }, { now, limit: 100000 }); console.log('keys', (performance.now() - t).toFixed(1), k.length); }
