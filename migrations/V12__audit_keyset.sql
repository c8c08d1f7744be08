-- The console's audit log pages newest first by id (keyset paging, io.gatehouse.common.Keyset): this index
-- serves "where gateway = ? and id < ? order by id desc limit 26" as one range scan however deep the page.
create index audit_entry_gateway_id on audit_entry (gateway, id desc);
