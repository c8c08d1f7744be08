-- Gatehouse schema: the whole model of the design, with its rules enforced here as well as in code.

create table app_user (
    id             bigserial primary key,
    username       varchar(64)  not null unique check (username ~ '^[a-z][a-z0-9._-]{1,63}$'),
    display_name   varchar(200) not null default '',
    password_hash  varchar(100),             -- null for users who only sign in through OIDC
    platform_admin boolean      not null default false,
    created_at     timestamptz  not null default now()
);

-- Personal access tokens: only a SHA-256 of the secret is stored; the prefix helps people tell them apart.
create table access_token (
    id           bigserial primary key,
    user_id      bigint       not null references app_user (id) on delete cascade,
    name         varchar(100) not null,
    token_hash   char(64)     not null unique,
    prefix       varchar(16)  not null,
    created_at   timestamptz  not null default now(),
    expires_at   timestamptz,
    last_used_at timestamptz,
    revoked_at   timestamptz
);
create index access_token_user on access_token (user_id);

create table team (
    id         bigserial primary key,
    slug       varchar(63)  not null unique check (slug ~ '^[a-z][a-z0-9-]{1,62}$'),
    name       varchar(200) not null check (length(trim(name)) > 0),
    created_at timestamptz  not null default now()
);

create table membership (
    id      bigserial primary key,
    team_id bigint      not null references team (id) on delete cascade,
    user_id bigint      not null references app_user (id) on delete cascade,
    role    varchar(16) not null check (role in ('owner', 'maintainer', 'viewer')),
    unique (team_id, user_id)
);
create index membership_user on membership (user_id);

create table gateway (
    id          bigserial primary key,
    team_id     bigint        not null references team (id),
    name        varchar(63)   not null unique check (name ~ '^[a-z][a-z0-9-]{1,62}$'),
    description varchar(1000) not null default '',
    created_at  timestamptz   not null default now(),
    updated_at  timestamptz   not null default now()
);
create index gateway_team on gateway (team_id);

-- A pool of hosts: 1 to 1000 objects, each with a string url and an integer weight from 1 to 10000.
create function gatehouse_pool_valid(pool jsonb) returns boolean
    language sql immutable as
$$
select jsonb_typeof(pool) = 'array'
   and jsonb_array_length(pool) between 1 and 1000
   and not exists (select 1
                     from jsonb_array_elements(pool) h
                    where jsonb_typeof(h -> 'url') is distinct from 'string'
                       or jsonb_typeof(h -> 'weight') is distinct from 'number'
                       or (h ->> 'weight')::numeric not between 1 and 10000
                       or (h ->> 'weight')::numeric <> trunc((h ->> 'weight')::numeric))
$$;

create function gatehouse_backend_valid(backend jsonb) returns boolean
    language sql immutable as
$$
select jsonb_typeof(backend) = 'object'
   and gatehouse_pool_valid(backend -> 'hosts')
   and (backend -> 'tenant_pools' is null
        or jsonb_typeof(backend -> 'tenant_pools') = 'null'
        or (jsonb_typeof(backend -> 'tenant_pools') = 'object'
            and not exists (select 1
                              from jsonb_each(backend -> 'tenant_pools') p
                             where p.key !~ '^[A-Za-z0-9._-]{1,64}$'
                                or not gatehouse_pool_valid(p.value))))
$$;

create function gatehouse_overrides_valid(overrides jsonb) returns boolean
    language sql immutable as
$$
select jsonb_typeof(overrides) = 'object'
   and not exists (select 1 from jsonb_each(overrides) o where not gatehouse_backend_valid(o.value))
$$;

create table stage (
    id          bigserial primary key,
    gateway_id  bigint        not null references gateway (id) on delete cascade,
    name        varchar(32)   not null check (name ~ '^[a-z][a-z0-9-]{0,31}$'),
    description varchar(1000) not null default '',
    backend     jsonb         not null check (gatehouse_backend_valid(backend)),
    created_at  timestamptz   not null default now(),
    updated_at  timestamptz   not null default now(),
    unique (gateway_id, name)
);

create table api_resource (
    id           bigserial primary key,
    gateway_id   bigint        not null references gateway (id) on delete cascade,
    name         varchar(64)   not null check (name ~ '^[A-Za-z][A-Za-z0-9_-]{0,63}$'),
    method       varchar(8)    not null check (method in ('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'ANY')),
    path         varchar(1024) not null check (path like '/%' and path !~ '(^|/)\.\.?(/|$)'),
    match        varchar(8)    not null check (match in ('exact', 'prefix')),
    -- the path with parameter names erased: equal shapes with one method and match type cannot both win
    path_shape   varchar(1024) not null,
    backend_path varchar(1024) not null check (backend_path like '/%'),
    description  varchar(1000) not null default '',
    overrides    jsonb         not null default '{}' check (gatehouse_overrides_valid(overrides)),
    created_at   timestamptz   not null default now(),
    updated_at   timestamptz   not null default now(),
    unique (gateway_id, name),
    unique (gateway_id, match, path_shape, method)
);

-- Versions and releases are immutable: published config is never edited in place.
create table gateway_version (
    id         bigserial primary key,
    gateway_id bigint        not null references gateway (id) on delete cascade,
    number     integer       not null check (number > 0),
    title      varchar(200)  not null,
    comment    varchar(1000) not null default '',
    resources  jsonb         not null check (jsonb_typeof(resources) = 'object'),
    created_by varchar(64)   not null,
    created_at timestamptz   not null default now(),
    unique (gateway_id, number)
);

create table release (
    id           bigserial primary key,
    stage_id     bigint        not null references stage (id) on delete cascade,
    number       integer       not null check (number > 0),
    version_id   bigint        not null references gateway_version (id) on delete cascade,
    backend      jsonb         not null check (gatehouse_backend_valid(backend)),
    resources    jsonb         not null check (jsonb_typeof(resources) = 'object'),
    comment      varchar(1000) not null default '',
    rollback_of  bigint references release (id) on delete cascade,
    created_by   varchar(64)   not null,
    created_at   timestamptz   not null default now(),
    unique (stage_id, number)
);

create function gatehouse_forbid_update() returns trigger
    language plpgsql as
$$
begin
    raise exception '% rows are immutable: published config is never edited in place', tg_table_name
        using errcode = 'integrity_constraint_violation';
end
$$;

create trigger gateway_version_immutable before update on gateway_version
    for each row execute function gatehouse_forbid_update();
create trigger release_immutable before update on release
    for each row execute function gatehouse_forbid_update();

-- The audit log outlives what it describes, so it keeps names rather than foreign keys.
create table audit_entry (
    id         bigserial primary key,
    at         timestamptz  not null default now(),
    actor      varchar(64)  not null,
    team       varchar(63),
    gateway    varchar(63),
    action     varchar(64)  not null,
    target     varchar(300) not null,
    before     jsonb,
    after      jsonb
);
create index audit_entry_gateway on audit_entry (gateway, at desc);
create index audit_entry_team on audit_entry (team, at desc);
