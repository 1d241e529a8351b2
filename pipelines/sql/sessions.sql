-- Sessions that started on the day. A session is keyed by the collector's session id; its region and channel
-- are those of its first event, and it converted if any event was a completed checkout.
insert into staging.sessions (session_id, day, customer_id, region, channel, started_at, ended_at, events, page_views, converted)
select session_id,
       ${partition.key}::date,
       max(customer_id),
       (array_agg(region order by occurred_at))[1],
       (array_agg(channel order by occurred_at))[1],
       min(occurred_at),
       max(occurred_at),
       count(*),
       count(*) filter (where event_type = 'page_view'),
       bool_or(event_type = 'checkout_completed')
from raw.click_events
where occurred_at >= ${partition.start} and occurred_at < ${partition.end}
group by session_id
on conflict (session_id) do update
  set customer_id = excluded.customer_id, ended_at = excluded.ended_at, events = excluded.events,
      page_views = excluded.page_views, converted = excluded.converted
