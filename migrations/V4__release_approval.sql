-- Stages that need a second member's approval to publish (four eyes). A maintainer's publish or rollback
-- to such a stage opens a release request; another maintainer or owner approves it (which inserts the
-- release) or rejects it, and the requester may withdraw it.
alter table stage add column requires_approval boolean not null default false;

-- Who approved a release that went through a request (null: published directly).
alter table release add column approved_by varchar(64);

create table release_request (
    id               bigserial primary key,
    stage_id         bigint        not null references stage (id) on delete cascade,
    number           integer       not null check (number > 0),
    kind             varchar(16)   not null check (kind in ('publish', 'rollback')),
    version_id       bigint        not null references gateway_version (id) on delete cascade,
    -- Frozen when requested: the approver approves exactly what was reviewed, not later drafts.
    backend          jsonb         not null check (gatehouse_backend_valid(backend)),
    resources        jsonb         not null check (jsonb_typeof(resources) = 'object'),
    rollback_of      bigint references release (id) on delete cascade,
    -- The release the stage served when the request was made; approval refuses if it has changed since.
    base_release_id  bigint references release (id) on delete cascade,
    comment          varchar(1000) not null default '',
    requested_by     varchar(64)   not null,
    requested_at     timestamptz   not null default now(),
    status           varchar(16)   not null default 'pending'
        check (status in ('pending', 'approved', 'rejected', 'withdrawn')),
    decided_by       varchar(64),
    decided_at       timestamptz,
    decision_comment varchar(1000) not null default '',
    release_id       bigint references release (id) on delete cascade,
    unique (stage_id, number),
    check ((status = 'pending') = (decided_by is null)),
    check ((status = 'approved') = (release_id is not null)),
    check (kind = 'rollback' or rollback_of is null),
    -- Four eyes, in the database too: nobody approves or rejects their own request; only they withdraw it.
    check (status not in ('approved', 'rejected') or decided_by <> requested_by),
    check (status <> 'withdrawn' or decided_by = requested_by)
);
-- One open request per stage: a second would be reviewed against a base the first may change.
create unique index release_request_one_pending on release_request (stage_id) where status = 'pending';
