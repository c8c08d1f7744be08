package io.gatehouse.auth;

import io.gatehouse.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

@QuarkusTest
class TokenApiTest {
    @Inject
    DataSource db;

    @Test
    void aTokenIsShownOnceStoredAsAHashAndWorksAsBearer() throws SQLException {
        String user = Fixtures.user();
        String token = Fixtures.basic(user, Fixtures.PASSWORD).body(Map.of("name", "ci", "expires_in_days", 30)).post("/api/v1/tokens")
                .then().statusCode(201).body("token", startsWith("ghp_")).extract().path("token");

        given().header("Authorization", "Bearer " + token).get("/api/v1/me")
                .then().statusCode(200).body("username", equalTo(user));
        try (Connection c = db.getConnection();
             PreparedStatement s = c.prepareStatement("select token_hash, prefix from access_token t join app_user u "
                     + "on u.id = t.user_id where u.username = ?")) {
            s.setString(1, user);
            ResultSet rs = s.executeQuery();
            rs.next();
            assertEquals(Tokens.hash(token), rs.getString(1));
            assertFalse(rs.getString(1).contains(token.substring(4)));
            assertEquals(token.substring(0, 10), rs.getString(2));
        }
        Fixtures.basic(user, Fixtures.PASSWORD).get("/api/v1/tokens").then().statusCode(200).body("[0].name", equalTo("ci"))
                .body("[0].token", org.hamcrest.Matchers.nullValue());
    }

    @Test
    void revokedExpiredAndUnknownTokensAre401() throws SQLException {
        String user = Fixtures.user();
        String token = Fixtures.basic(user, Fixtures.PASSWORD).body(Map.of("name", "t")).post("/api/v1/tokens").then().statusCode(201)
                .extract().path("token");
        int id = Fixtures.basic(user, Fixtures.PASSWORD).get("/api/v1/tokens").then().extract().path("[0].id");
        String other = Fixtures.user();
        Fixtures.basic(other, Fixtures.PASSWORD).delete("/api/v1/tokens/{id}", id).then().statusCode(404);
        given().header("Authorization", "Bearer " + token).get("/api/v1/me").then().statusCode(200);
        Fixtures.basic(user, Fixtures.PASSWORD).delete("/api/v1/tokens/{id}", id).then().statusCode(204);
        given().header("Authorization", "Bearer " + token).get("/api/v1/me").then().statusCode(401);

        String expiring = Fixtures.basic(user, Fixtures.PASSWORD).body(Map.of("name", "e")).post("/api/v1/tokens").then().extract().path("token");
        try (Connection c = db.getConnection();
             PreparedStatement s = c.prepareStatement("update access_token set expires_at = now() - interval '1 minute' "
                     + "where token_hash = ?")) {
            s.setString(1, Tokens.hash(expiring));
            assertEquals(1, s.executeUpdate());
        }
        given().header("Authorization", "Bearer " + expiring).get("/api/v1/me").then().statusCode(401);
        given().header("Authorization", "Bearer ghp_not-a-token").get("/api/v1/me").then().statusCode(401)
                .contentType("application/problem+json");
    }

    @Test
    void tokenRules() {
        String user = Fixtures.user();
        Fixtures.basic(user, Fixtures.PASSWORD).body(Map.of("name", "x", "expires_in_days", 0)).post("/api/v1/tokens")
                .then().statusCode(422).body("errors[0].field", equalTo("expires_in_days"));
        Fixtures.basic(user, Fixtures.PASSWORD).body(Map.of("expires_in_days", 5)).post("/api/v1/tokens")
                .then().statusCode(422).body("errors[0].field", equalTo("name"));
        Fixtures.anonymous().body(Map.of("name", "x")).post("/api/v1/tokens").then().statusCode(401);
    }

    @Test
    void userRules() {
        Fixtures.admin().body(Map.of("username", "Bad Name", "password", "short")).post("/api/v1/users")
                .then().statusCode(422).body("errors.field", org.hamcrest.Matchers.contains("username", "password"));
        Fixtures.admin().body(Map.of("username", Fixtures.unique("u"), "password", "x".repeat(73)))
                .post("/api/v1/users").then().statusCode(422)
                .body("errors[0].message", equalTo("must be at most 72 bytes (bcrypt's limit)"));
        String user = Fixtures.user();
        Fixtures.admin().body(Map.of("username", user, "password", "password-1234")).post("/api/v1/users")
                .then().statusCode(409);
        given().contentType(ContentType.JSON).get("/api/v1/me").then().statusCode(401);
    }
}
