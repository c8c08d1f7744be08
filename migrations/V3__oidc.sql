-- OIDC sign-in (Keycloak). A user signed in through OIDC is an app_user without a password, linked by the
-- token's preferred_username; the issuer's subject is kept to notice a different person with that name.
alter table app_user add column oidc_subject varchar(255);
-- Platform admin granted by the identity provider's group (revoked by it too); a local grant stays.
alter table app_user add column platform_admin_oidc boolean not null default false;

-- Where a membership comes from: 'local' (set in Gatehouse) or 'oidc' (the token's /teams/{team}/{role}
-- groups, synchronised at every sign-in). The sync only ever changes or removes 'oidc' rows.
alter table membership add column source varchar(8) not null default 'local' check (source in ('local', 'oidc'));
