-- Retried writes take effect once, and stale writes are refused.
-- Applied as-is on Supabase, on plain PostgreSQL and on PGlite; safe to apply again.

-- 1. Entity versions: a strong ETag that changes with every write. A number bumped by every
--    update, whoever makes it, is steadier than a timestamp (two writes within one clock tick).
alter table public.entities add column if not exists version bigint not null default 1;

create or replace function public.entities_bump_version()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  new.version := old.version + 1;
  return new;
end;
$$;

drop trigger if exists entities_version on public.entities;
create trigger entities_version
  before update on public.entities
  for each row execute function public.entities_bump_version();

-- 2. Idempotency keys: the recorded answer of the first request with a key, per caller and route,
--    written in the same transaction as the write it describes. A row without a status is a claim
--    in flight (Supabase only, where no transaction spans the request): `claim` names the request
--    holding it until `claimed_until`. Rows live until `expires_at` (IDEMPOTENCY_TTL_SECONDS); an
--    expired one counts as absent, and the service purges them in the background.
create table if not exists public.idempotency_keys (
  caller text not null,
  route text not null,
  key text not null,
  fingerprint text,
  status smallint,
  headers jsonb,
  body text,
  claim uuid,
  claimed_until timestamptz,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  primary key (caller, route, key),
  constraint idempotency_keys_recorded_whole check (
    (status is null) = (fingerprint is null) and (status is null) = (headers is null) and (status is null) = (body is null)
  ),
  constraint idempotency_keys_key_visible_ascii check (key ~ '^[!-~]{1,255}$')
);

-- The background purge walks expired rows oldest first.
create index if not exists idx_idempotency_keys_expires on public.idempotency_keys (expires_at);

-- Nobody but the service: no policy for signed-in users or anonymous callers (Supabase exposes
-- the public schema); the service role bypasses RLS.
alter table public.idempotency_keys enable row level security;
revoke all on table public.idempotency_keys from public, anon, authenticated;
grant select, insert, update, delete on table public.idempotency_keys to service_role;

-- 3. The protocol as functions, for stores without a session of their own around a request
--    (supabase-js: each call is one PostgREST request, one transaction). PostgreSQL and PGlite
--    hold a session advisory lock instead, and use only the purge.

-- Claims a key: 'recorded' with the live record, 'in_flight' while another request holds it,
-- or 'claimed' (a new row, or one that expired or whose holder gave out, taken over).
create or replace function public.idempotency_claim(p_caller text, p_route text, p_key text, p_claim uuid, p_lease_seconds integer, p_ttl_seconds integer)
returns table (outcome text, fingerprint text, status integer, headers jsonb, body text)
language plpgsql
set search_path = ''
as $$
declare
  found_row public.idempotency_keys%rowtype;
begin
  -- A new key: the row is ours. A concurrent insert of the same key waits for the other to end.
  insert into public.idempotency_keys as k (caller, route, key, claim, claimed_until, expires_at)
    values (p_caller, p_route, p_key, p_claim, pg_catalog.now() + pg_catalog.make_interval(secs => p_lease_seconds), pg_catalog.now() + pg_catalog.make_interval(secs => p_ttl_seconds))
    on conflict on constraint idempotency_keys_pkey do nothing;
  if found then
    return query select 'claimed'::text, null::text, null::integer, null::jsonb, null::text;
    return;
  end if;
  select * into found_row from public.idempotency_keys k where k.caller = p_caller and k.route = p_route and k.key = p_key for update;
  if found_row.expires_at > pg_catalog.now() then
    if found_row.status is not null then
      return query select 'recorded'::text, found_row.fingerprint, found_row.status::integer, found_row.headers, found_row.body;
      return;
    end if;
    if found_row.claimed_until > pg_catalog.now() then
      return query select 'in_flight'::text, null::text, null::integer, null::jsonb, null::text;
      return;
    end if;
  end if;
  update public.idempotency_keys as k
    set fingerprint = null, status = null, headers = null, body = null, claim = p_claim,
        claimed_until = pg_catalog.now() + pg_catalog.make_interval(secs => p_lease_seconds),
        created_at = pg_catalog.now(), expires_at = pg_catalog.now() + pg_catalog.make_interval(secs => p_ttl_seconds)
    where k.caller = p_caller and k.route = p_route and k.key = p_key;
  return query select 'claimed'::text, null::text, null::integer, null::jsonb, null::text;
end;
$$;

-- Records the answer of a claimed key and, in the same transaction, the write it describes: the
-- sample service's one idempotent route creates an entity (`p_new_entity`, the row the service
-- made). A claim that was lost (taken over after its lease) records and writes nothing.
create or replace function public.idempotency_complete(p_caller text, p_route text, p_key text, p_claim uuid, p_fingerprint text, p_status integer, p_headers jsonb, p_body text, p_ttl_seconds integer, p_new_entity jsonb default null)
returns void
language plpgsql
set search_path = ''
as $$
begin
  update public.idempotency_keys as k
    set fingerprint = p_fingerprint, status = p_status, headers = p_headers, body = p_body, claim = null, claimed_until = null,
        expires_at = pg_catalog.now() + pg_catalog.make_interval(secs => p_ttl_seconds)
    where k.caller = p_caller and k.route = p_route and k.key = p_key and k.claim = p_claim and k.status is null;
  if not found then
    raise exception 'the claim on this idempotency key was lost' using errcode = 'P0002';
  end if;
  if p_new_entity is not null then
    insert into public.entities (id, title, description, owner_id, created_at, updated_at)
      values ((p_new_entity ->> 'id')::uuid, p_new_entity ->> 'title', p_new_entity ->> 'description', p_new_entity ->> 'owner_id',
              (p_new_entity ->> 'created_at')::timestamptz, (p_new_entity ->> 'updated_at')::timestamptz);
  end if;
end;
$$;

-- Gives a claim up (the handler failed: a retry runs again).
create or replace function public.idempotency_release(p_caller text, p_route text, p_key text, p_claim uuid)
returns void
language sql
set search_path = ''
as $$
  delete from public.idempotency_keys as k
    where k.caller = p_caller and k.route = p_route and k.key = p_key and k.claim = p_claim and k.status is null;
$$;

-- Deletes up to p_limit expired rows; returns how many.
create or replace function public.idempotency_purge(p_limit integer)
returns integer
language sql
set search_path = ''
as $$
  with expired as (
    select k.caller, k.route, k.key from public.idempotency_keys k where k.expires_at <= pg_catalog.now() order by k.expires_at limit p_limit
  ), gone as (
    delete from public.idempotency_keys k using expired e
      where k.caller = e.caller and k.route = e.route and k.key = e.key and k.expires_at <= pg_catalog.now()
      returning 1
  )
  select pg_catalog.count(*)::integer from gone;
$$;

revoke all on function public.idempotency_claim(text, text, text, uuid, integer, integer) from public, anon, authenticated;
revoke all on function public.idempotency_complete(text, text, text, uuid, text, integer, jsonb, text, integer, jsonb) from public, anon, authenticated;
revoke all on function public.idempotency_release(text, text, text, uuid) from public, anon, authenticated;
revoke all on function public.idempotency_purge(integer) from public, anon, authenticated;
grant execute on function public.idempotency_claim(text, text, text, uuid, integer, integer) to service_role;
grant execute on function public.idempotency_complete(text, text, text, uuid, text, integer, jsonb, text, integer, jsonb) to service_role;
grant execute on function public.idempotency_release(text, text, text, uuid) to service_role;
grant execute on function public.idempotency_purge(integer) to service_role;
