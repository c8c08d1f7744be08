-- Operator states of a gateway's hosts, set without a release (the emergency lever): draining and disabled
-- hosts get no new requests in any of the gateway's pools. A host with no row is active.
create table host_state (
    gateway_id bigint       not null references gateway (id) on delete cascade,
    url        varchar(300) not null,
    state      varchar(16)  not null check (state in ('draining', 'disabled')),
    reason     varchar(500) not null default '',
    updated_by varchar(100) not null,
    updated_at timestamptz  not null default now(),
    primary key (gateway_id, url)
);
