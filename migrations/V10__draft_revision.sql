-- A gateway's draft revision: every change of what the gateway would publish (its resources, stages or
-- description, see gateway.GatewayTouch) takes a new number in the same transaction, so a comparison of the
-- draft with an (immutable) release can be remembered per (release, draft_revision): release.DraftDiffs.
-- Numbers come from one sequence rather than +1 so that none is ever handed out twice, not even by a
-- transaction that rolled back after a reader in it had remembered an answer under its number.
create sequence gateway_draft_revision;
alter table gateway add column draft_revision bigint not null default nextval('gateway_draft_revision');

