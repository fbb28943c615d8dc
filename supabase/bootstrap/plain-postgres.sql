-- What Supabase provides built in, for plain PostgreSQL and PGlite, so the same files in
-- supabase/migrations/ apply everywhere. Idempotent: safe to run on every start.
-- Never run this against Supabase (its own auth schema is richer).

-- Roles are cluster-wide: two databases bootstrapping at once may race, so a duplicate is fine.
do $$
declare
  spec text[];
begin
  foreach spec slice 1 in array array[
    array['anon', 'nologin noinherit'],
    array['authenticated', 'nologin noinherit'],
    array['service_role', 'nologin noinherit bypassrls']
  ] loop
    if not exists (select 1 from pg_catalog.pg_roles where rolname = spec[1]) then
      begin
        execute pg_catalog.format('create role %I %s', spec[1], spec[2]);
      exception when duplicate_object or unique_violation then
        null;
      end;
    end if;
  end loop;
end
$$;

create schema if not exists auth;
grant usage on schema auth to anon, authenticated, service_role;
grant usage on schema public to anon, authenticated, service_role;

-- The request's JWT claims, as PostgREST sets them (`request.jwt.claims`); null outside a request.
create or replace function auth.jwt()
returns jsonb
language sql
stable
set search_path = ''
as $$
  select coalesce(
    nullif(pg_catalog.current_setting('request.jwt.claims', true), ''),
    '{}'
  )::jsonb
$$;

grant execute on function auth.jwt() to anon, authenticated, service_role;
