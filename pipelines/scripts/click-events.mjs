// Writes one hour of click events as JSON lines to the landing zone: synthetic stand-in for the tracking collector.
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { dataPath, emit } from './step-io.mjs';
import { CHANNELS, REGIONS, pick, seededRandom } from './synthetic.mjs';

const { values } = parseArgs({ options: { start: { type: 'string' }, end: { type: 'string' } } });
const start = Date.parse(values.start);
const end = values.end ? Date.parse(values.end) : start + 3_600_000;
if (Number.isNaN(start) || Number.isNaN(end) || end <= start) throw new Error(`bad hour: ${values.start} – ${values.end}`);
const hourKey = new Date(start).toISOString().slice(0, 13); // 2026-03-01T13
const maxEvents = Number(process.env.EVENTS_PER_SESSION_MAX ?? 12);
const random = seededRandom(`events:${hourKey}`);

// Traffic follows the day: quiet at night (UTC), busiest in the European evening.
const hour = new Date(start).getUTCHours();
const sessions = Math.round(40 + 160 * Math.max(0, Math.sin(((hour - 4) / 24) * 2 * Math.PI)) * (0.8 + random() * 0.4));
const lines = [];
for (let s = 0; s < sessions; s++) {
  const sessionId = `s-${hourKey.replace(/\D/g, '')}-${s}`;
  const region = pick(random, REGIONS);
  const channel = pick(random, CHANNELS);
  const customer = random() < 0.4 ? `c-${Math.floor(random() * 4000)}` : null;
  const events = 1 + Math.floor(random() * maxEvents);
  let at = start + Math.floor(random() * (end - start - 60_000));
  for (let e = 0; e < events; e++) {
    const last = e === events - 1;
    const type = last && customer && random() < 0.25 ? 'checkout_completed' : e === 0 ? 'page_view' : pick(random, ['page_view', 'page_view', 'add_to_cart', 'search']);
    lines.push(JSON.stringify({
      event_id: `${sessionId}-${e}`,
      occurred_at: new Date(Math.min(at, end - 1)).toISOString(),
      session_id: sessionId,
      customer_id: customer,
      region,
      channel,
      type,
      url: type === 'search' ? '/search' : `/p/${Math.floor(random() * 900) + 100}`,
    }));
    at += Math.floor(random() * 45_000);
  }
}
const file = dataPath('events', hourKey.slice(0, 10), `${hourKey.slice(11)}.jsonl`);
writeFileSync(file, lines.join('\n') + '\n');
emit({ sessions, events: lines.length, path: file }, { path: file });
