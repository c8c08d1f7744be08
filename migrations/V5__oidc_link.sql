-- OIDC identities no longer take over accounts by name. Until V3 a sign-in linked an identity-provider user to
-- the existing account of the same preferred_username, a local one (with a password, the bootstrap admin
-- included) too. An account now has an OIDC identity only when OIDC created it or a platform admin linked it
-- (PUT /api/v1/users/{username}/oidc-link), so links that V3 made to accounts with a password are dropped: they
-- cannot be told apart from a takeover. Those users sign in locally until an admin links them again.
update app_user set oidc_subject = null where password_hash is not null;

-- One identity, one account: sign-in finds the account by its subject.
create unique index app_user_oidc_subject on app_user (oidc_subject) where oidc_subject is not null;
