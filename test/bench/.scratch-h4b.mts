import { formatMinute, formatDate } from '../../runtime/spec/local-time.ts';
import { keys } from '../../runtime/spec/partitions.ts';
let t = performance.now(); let x = 0;
for (let i = 0; i < 100000; i++) x += formatMinute(1.4e12 + i * 3600000).length;
console.log('formatMinute 100k', performance.now() - t);
t = performance.now();
for (let i = 0; i < 100000; i++) x += formatMinute(1.4e12 + i * 3600000).length;
console.log('formatMinute 100k warm', performance.now() - t);
const now = new Date('2026-11-01T00:00:00Z');
for (let r = 0; r < 5; r++) { t = performance.now(); keys({ kind: 'time', cadence: 'hourly', start: '2015-01-01', timezone: 'America/New_York' }, { now, limit: 100000 }); console.log('keys', performance.now() - t); }
for (let r = 0; r < 3; r++) { t = performance.now(); keys({ kind: 'time', cadence: 'daily', start: '1800-01-01', timezone: 'America/New_York' }, { now, limit: 100000 }); console.log('daily keys', performance.now() - t); }
