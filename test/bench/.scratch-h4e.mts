import { IANAZone } from 'luxon';
const f = new Intl.DateTimeFormat('en-US', { timeZone: 'America/New_York', hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric', era: 'short' });
const g = new Intl.DateTimeFormat('en-US', { timeZone: 'America/New_York', timeZoneName: 'longOffset' });
console.log(f.format(Date.UTC(2026,0,1)), g.format(Date.UTC(2026,0,1)), g.format(Date.UTC(2026,6,1)), g.format(Date.UTC(1880,6,1)));
const z = IANAZone.create('America/New_York');
for (let r=0;r<3;r++){
let t = performance.now(); let x = 0; for (let i = 0; i < 20000; i++) x += f.format(1.4e12 + i * 86400000).length; const a = performance.now() - t;
t = performance.now(); for (let i = 0; i < 20000; i++) x += g.format(1.4e12 + i * 86400000).length; const b = performance.now() - t;
t = performance.now(); for (let i = 0; i < 20000; i++) x += z.offset(1.4e12 + i * 86400000); const c = performance.now() - t;
console.log('format us', a/20, 'longOffset us', b/20, 'luxon us', c/20);}
