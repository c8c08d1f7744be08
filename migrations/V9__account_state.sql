-- Accounts a platform admin disables stop working everywhere (password, console sessions, access tokens,
-- Keycloak sign-in) until enabled again; a password change or reset ends the account's console sessions that
-- started before it (sessions_valid_after), except the one the user changed it from (kept_session).
alter table app_user
    add column disabled_at          timestamptz,
    add column disabled_by          varchar(64),
    add column sessions_valid_after timestamptz,
    add column kept_session         varchar(64);
