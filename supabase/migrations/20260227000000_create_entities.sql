-- Entities owned by a Clerk user (owner_id = the session token's `sub`).
-- Applied as-is on Supabase, on plain PostgreSQL and on PGlite; the last two first run
-- supabase/bootstrap/plain-postgres.sql, which provides what Supabase has built in
-- (schema auth, auth.jwt(), roles anon/authenticated/service_role).

create table if not exists public.entities (
  id uuid primary key default gen_random_uuid(),
  title varchar(255) not null,
  description varchar(1000),
  owner_id text not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint entities_title_not_blank check (btrim(title) <> ''),
  constraint entities_owner_id_not_blank check (owner_id <> '')
);

-- Serves the owner's newest-first pages: where owner_id = $1 order by created_at desc, id desc.
create index if not exists idx_entities_owner_created
  on public.entities (owner_id, created_at desc, id desc);

-- A fixed search_path so the trigger cannot be hijacked by objects in the caller's schemas.
create or replace function public.update_updated_at()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  new.updated_at := pg_catalog.now();
  return new;
end;
$$;

drop trigger if exists entities_updated_at on public.entities;
create trigger entities_updated_at
  before update on public.entities
  for each row execute function public.update_updated_at();

-- Row-level security: the second wall behind the service's own owner filter. The service role
-- bypasses it; sessions as `authenticated` (Clerk tokens through Supabase third-party auth) only
-- ever see and change their own rows.
alter table public.entities enable row level security;

drop policy if exists "Users can view own entities" on public.entities;
create policy "Users can view own entities" on public.entities
  for select to authenticated
  using (owner_id = (select auth.jwt() ->> 'sub'));

drop policy if exists "Users can insert own entities" on public.entities;
create policy "Users can insert own entities" on public.entities
  for insert to authenticated
  with check (owner_id = (select auth.jwt() ->> 'sub'));

drop policy if exists "Users can update own entities" on public.entities;
create policy "Users can update own entities" on public.entities
  for update to authenticated
  using (owner_id = (select auth.jwt() ->> 'sub'))
  with check (owner_id = (select auth.jwt() ->> 'sub'));

drop policy if exists "Users can delete own entities" on public.entities;
create policy "Users can delete own entities" on public.entities
  for delete to authenticated
  using (owner_id = (select auth.jwt() ->> 'sub'));

grant select, insert, update, delete on table public.entities to authenticated, service_role;
