-- How each live proxy instance sees each host of each stage it serves: written by the instance when a host's
-- state changes (at most once per poll, never per request), read by GET .../stages/{stage}/health and the
-- Traffic tab. Rows go with their instance (deregistered, or deleted); a dead instance's rows stop counting
-- once its heartbeat ages out (Receipts.LIVE_SECONDS).
create table host_health (
    instance_id varchar(100)  not null references proxy_instance (id) on delete cascade,
    gateway     varchar(100)  not null,
    stage       varchar(100)  not null,
    url         varchar(2100) not null,
    up          boolean       not null,
    since       timestamptz   not null,
    reason      text,
    primary key (instance_id, gateway, stage, url)
);
create index host_health_stage on host_health (gateway, stage);
