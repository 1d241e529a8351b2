import { ZoneClock } from '../../runtime/spec/zone-time.ts';
const c = new ZoneClock('America/New_York');
let t = performance.now();
for (let y = 2015; y <= 2026; y++) c.segmentAt(Date.UTC(y, 5, 1));
console.log('12 year tables ms', performance.now() - t);
console.log(c.segmentAt(Date.UTC(2026,5,1)));
