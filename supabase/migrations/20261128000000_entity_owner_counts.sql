-- Each owner's number of entities, kept exact by triggers, so that a listing's `count` is one
-- index lookup instead of a walk over all of the owner's rows (at 300,000 rows, count(*) alone
-- took longer than the rest of the page).
-- Applied as-is on Supabase, on plain PostgreSQL and on PGlite; safe to apply again.

create table if not exists public.entity_owner_counts (
  owner_id text primary key,
  total bigint not null default 0 check (total >= 0)
);

-- Not for callers: the service reads it with its own credentials; signed-in users see only
-- their own count, anonymous callers nothing (Supabase exposes the public schema).
alter table public.entity_owner_counts enable row level security;
revoke all on table public.entity_owner_counts from public, anon, authenticated;

drop policy if exists "Users can view own entity count" on public.entity_owner_counts;
create policy "Users can view own entity count" on public.entity_owner_counts
  for select to authenticated
  using (owner_id = (select auth.jwt() ->> 'sub'));

grant select on table public.entity_owner_counts to authenticated, service_role;

-- One function for every trigger below. Inserts and deletes are counted per statement, over its
-- transition table, so a bulk insert or delete updates each owner's row once, not once per entity;
-- an owner change (which the service never makes, but the service role could) per row. Security
-- definer (owned by the migrating role), with a fixed search_path: callers under RLS
-- (`authenticated`) cannot write the counts table themselves, yet their own writes must count.
create or replace function public.entity_owner_counts_maintain()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if tg_op = 'INSERT' then
    insert into public.entity_owner_counts as c (owner_id, total)
      select owner_id, count(*) from inserted group by owner_id
    on conflict (owner_id) do update set total = c.total + excluded.total;
  elsif tg_op = 'DELETE' then
    update public.entity_owner_counts as c
      set total = c.total - d.n
      from (select owner_id, count(*) as n from deleted group by owner_id) d
      where c.owner_id = d.owner_id;
  elsif tg_op = 'UPDATE' then
    update public.entity_owner_counts set total = total - 1 where owner_id = old.owner_id;
    insert into public.entity_owner_counts as c (owner_id, total) values (new.owner_id, 1)
    on conflict (owner_id) do update set total = c.total + 1;
  elsif tg_op = 'TRUNCATE' then
    delete from public.entity_owner_counts;
  end if;
  return null;
end;
$$;

revoke all on function public.entity_owner_counts_maintain() from public;

drop trigger if exists entity_owner_counts_insert on public.entities;
create trigger entity_owner_counts_insert
  after insert on public.entities
  referencing new table as inserted
  for each statement execute function public.entity_owner_counts_maintain();

drop trigger if exists entity_owner_counts_delete on public.entities;
create trigger entity_owner_counts_delete
  after delete on public.entities
  referencing old table as deleted
  for each statement execute function public.entity_owner_counts_maintain();

drop trigger if exists entity_owner_counts_owner_change on public.entities;
create trigger entity_owner_counts_owner_change
  after update of owner_id on public.entities
  for each row when (old.owner_id is distinct from new.owner_id)
  execute function public.entity_owner_counts_maintain();

drop trigger if exists entity_owner_counts_truncate on public.entities;
create trigger entity_owner_counts_truncate
  after truncate on public.entities
  for each statement execute function public.entity_owner_counts_maintain();

-- The counts of the rows already there. The triggers above took a lock that keeps writers out
-- until this transaction commits, so nothing is counted twice or missed; applied again, this
-- sets every count to the truth once more.
lock table public.entities in share mode;
insert into public.entity_owner_counts as c (owner_id, total)
  select owner_id, count(*) from public.entities group by owner_id
on conflict (owner_id) do update set total = excluded.total;
update public.entity_owner_counts as c set total = 0
  where not exists (select 1 from public.entities e where e.owner_id = c.owner_id);
