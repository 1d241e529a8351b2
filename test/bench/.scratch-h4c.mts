import { axisOf } from '../../runtime/spec/partitions.ts';
const def = { kind: 'time', cadence: 'hourly', start: '2015-01-01', timezone: 'America/New_York' } as const;
const axis = axisOf(def);
for (let r = 0; r < 6; r++) {
  let t = performance.now(); const out: string[] = []; axis.each(axis.first, Infinity, 100000, (k) => out.push(k)); const a = performance.now() - t;
  t = performance.now(); let n = 0; axis.each(axis.first, Infinity, 100000, (k) => { n += k.length; }); const b = performance.now() - t;
  console.log('push', a.toFixed(1), 'nopush', b.toFixed(1));
}
