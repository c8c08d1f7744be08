-- Publishing: published rows are never edited in place, nor deleted on their own. They go only when
-- their gateway or stage goes (ON DELETE CASCADE), which these guards tell apart from a direct DELETE.
create function gatehouse_forbid_release_delete() returns trigger
    language plpgsql as
$$
begin
    if exists (select 1 from stage s join gateway g on g.id = s.gateway_id where s.id = old.stage_id) then
        raise exception 'releases are immutable: published config is never deleted on its own'
            using errcode = 'integrity_constraint_violation';
    end if;
    return old;
end
$$;
create trigger release_not_deleted before delete on release
    for each row execute function gatehouse_forbid_release_delete();

create function gatehouse_forbid_version_delete() returns trigger
    language plpgsql as
$$
begin
    if exists (select 1 from gateway g where g.id = old.gateway_id) then
        raise exception 'versions are immutable: a version is never deleted on its own'
            using errcode = 'integrity_constraint_violation';
    end if;
    return old;
end
$$;
create trigger gateway_version_not_deleted before delete on gateway_version
    for each row execute function gatehouse_forbid_version_delete();

-- Every Gatehouse process that serves traffic, with a heartbeat so dead ones age out of "live on N of M".
create table proxy_instance (
    id           varchar(100) primary key,
    mode         varchar(16)  not null check (mode in ('full', 'proxy-only')),
    started_at   timestamptz  not null default now(),
    heartbeat_at timestamptz  not null default now()
);

-- Which release each instance serves for each stage, and since when.
create table release_receipt (
    instance_id varchar(100) not null references proxy_instance (id) on delete cascade,
    stage_id    bigint       not null references stage (id) on delete cascade,
    release_id  bigint       not null,
    applied_at  timestamptz  not null,
    primary key (instance_id, stage_id)
);
