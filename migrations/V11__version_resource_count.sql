-- A version's number of resources, computed by PostgreSQL when the row is written (a stored generated column
-- leaves the immutable rows' trigger alone), so version lists need not read each 2 MB snapshot to count it.
create function gatehouse_key_count(o jsonb) returns integer
    language sql immutable as
$$
select count(*)::integer from jsonb_object_keys(o)
$$;
alter table gateway_version add column resource_count integer generated always as (gatehouse_key_count(resources)) stored;
