-- Tenants are objects of a gateway: the consumers of its API, each with an optional rate limit and API keys.
-- Tenant pools and resource tenant rules may name only tenants that exist (checked by the API, which names the field).
create table tenant (
    id                bigserial primary key,
    gateway_id        bigint        not null references gateway (id) on delete cascade,
    name              varchar(64)   not null check (name ~ '^[A-Za-z0-9._-]{1,64}$'),
    description       varchar(1000) not null default '',
    rate_limit_rps    integer check (rate_limit_rps between 1 and 1000000),
    rate_limit_burst  integer check (rate_limit_burst between 1 and 1000000),
    created_at        timestamptz   not null default now(),
    updated_at        timestamptz   not null default now(),
    unique (gateway_id, name),
    check ((rate_limit_rps is null) = (rate_limit_burst is null))
);

-- API keys are credentials, not configuration: no release, revoked by setting revoked_at (the row stays for
-- the audit trail). Only a SHA-256 of the secret is kept (256 random bits, so a fast hash is right, as for
-- personal access tokens); the prefix lets people tell keys apart.
create table tenant_api_key (
    id           bigserial primary key,
    tenant_id    bigint       not null references tenant (id) on delete cascade,
    name         varchar(100) not null check (length(trim(name)) > 0),
    key_hash     char(64)     not null unique,
    prefix       varchar(16)  not null,
    created_by   varchar(64)  not null,
    created_at   timestamptz  not null default now(),
    expires_at   timestamptz,
    last_used_at timestamptz,
    revoked_at   timestamptz
);
create index tenant_api_key_tenant on tenant_api_key (tenant_id);

-- Every tenant some stage, resource override or release already routes becomes a declared tenant, so
-- existing configs stay valid and deleting such a tenant is refused like any other routed one.
insert into tenant (gateway_id, name, description)
select distinct gateway_id, name, 'declared by migration: a tenant pool named it'
  from (select s.gateway_id, p.key as name
          from stage s, jsonb_each(case when jsonb_typeof(s.backend -> 'tenant_pools') = 'object'
                                        then s.backend -> 'tenant_pools' else '{}'::jsonb end) p
        union
        select r.gateway_id, p.key
          from api_resource r, jsonb_each(r.overrides) o,
               jsonb_each(case when jsonb_typeof(o.value -> 'tenant_pools') = 'object'
                               then o.value -> 'tenant_pools' else '{}'::jsonb end) p
        union
        select s.gateway_id, p.key
          from release rel join stage s on s.id = rel.stage_id,
               jsonb_each(case when jsonb_typeof(rel.backend -> 'tenant_pools') = 'object'
                               then rel.backend -> 'tenant_pools' else '{}'::jsonb end) p
        union
        select s.gateway_id, p.key
          from release rel join stage s on s.id = rel.stage_id, jsonb_each(rel.resources) res,
               jsonb_each(case when jsonb_typeof(res.value -> 'overrides') = 'object'
                               then res.value -> 'overrides' else '{}'::jsonb end) o,
               jsonb_each(case when jsonb_typeof(o.value -> 'tenant_pools') = 'object'
                               then o.value -> 'tenant_pools' else '{}'::jsonb end) p) named
 where name ~ '^[A-Za-z0-9._-]{1,64}$';

-- A resource's tenant rule ({"required": bool, "allowed": [names]}), or null for none.
alter table api_resource add column tenants jsonb check (tenants is null or jsonb_typeof(tenants) = 'object');

-- One counter the proxy instances compare on every sync: it moves with every change to a tenant or to a key's
-- validity, so an instance reloads tenants and keys only when something changed (a key's last use, written in
-- batches by the instances themselves, does not move it).
create table tenant_revision (
    id       integer primary key check (id = 1),
    revision bigint  not null
);
insert into tenant_revision (id, revision) values (1, 1);

create function gatehouse_tenant_revision_bump() returns trigger
    language plpgsql as
$$
begin
    update tenant_revision set revision = revision + 1 where id = 1;
    return null;
end
$$;
create trigger tenant_changed after insert or update or delete on tenant
    for each statement execute function gatehouse_tenant_revision_bump();
create trigger tenant_api_key_changed after insert or delete or update of key_hash, expires_at, revoked_at, tenant_id
    on tenant_api_key for each statement execute function gatehouse_tenant_revision_bump();
