package io.gatehouse.auth;

import io.gatehouse.auth.AccountService.OidcLinkBody;
import io.gatehouse.auth.AccountService.OidcLinkView;
import io.gatehouse.auth.AccessTokenService.TokenBody;
import io.gatehouse.auth.AccessTokenService.TokenCreated;
import io.gatehouse.auth.AccessTokenService.TokenView;
import io.gatehouse.auth.AccountService.UserBody;
import io.gatehouse.auth.AccountService.UserView;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.List;

@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class AccountApi {
    private final AccountService accounts;
    private final AccessTokenService tokens;

    public AccountApi(AccountService accounts, AccessTokenService tokens) {
        this.accounts = accounts;
        this.tokens = tokens;
    }

    @POST
    @Path("/users")
    public Response createUser(UserBody body) {
        return Response.status(201).entity(accounts.createUser(body)).build();
    }

    @PUT
    @Path("/users/{username}/oidc-link")
    public OidcLinkView linkOidc(String username, OidcLinkBody body) {
        return accounts.linkOidc(username, body);
    }

    @DELETE
    @Path("/users/{username}/oidc-link")
    public Response unlinkOidc(String username) {
        accounts.unlinkOidc(username);
        return Response.noContent().build();
    }

    @GET
    @Path("/me")
    public UserView me() {
        return accounts.me();
    }

    @POST
    @Path("/tokens")
    public Response createToken(TokenBody body) {
        TokenCreated created = tokens.createToken(body);
        return Response.status(201).entity(created).build();
    }

    @GET
    @Path("/tokens")
    public List<TokenView> tokens() {
        return this.tokens.tokens();
    }

    @DELETE
    @Path("/tokens/{id}")
    public Response revoke(long id) {
        tokens.revokeToken(id);
        return Response.noContent().build();
    }
}
