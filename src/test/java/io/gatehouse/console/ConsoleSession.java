package io.gatehouse.console;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

import java.util.LinkedHashMap;
import java.util.Map;

import static io.restassured.RestAssured.given;

/** A signed-in browser for REST Assured: the session cookie, the CSRF cookie, and forms that carry the token. */
public final class ConsoleSession {
    public static final String SESSION_COOKIE = "quarkus-credential";
    public static final String CSRF_COOKIE = "csrf-token";

    private final String session;
    private final String csrf;

    private ConsoleSession(String session, String csrf) {
        this.session = session;
        this.csrf = csrf;
    }

    public static ConsoleSession login(String username, String password) {
        Response r = given().redirects().follow(false).contentType(ContentType.URLENC)
                .formParam("j_username", username).formParam("j_password", password)
                .post("/j_security_check");
        String session = r.getCookie(SESSION_COOKIE);
        if (session == null) {
            throw new AssertionError("login as " + username + " failed: " + r.statusCode() + " " + r.getHeader("Location"));
        }
        String csrf = given().redirects().follow(false).cookie(SESSION_COOKIE, session).get("/teams").getCookie(CSRF_COOKIE);
        return new ConsoleSession(session, csrf);
    }

    /** A visitor who has not signed in, with the CSRF cookie a console page gives everyone. */
    public static ConsoleSession anonymous() {
        String csrf = given().redirects().follow(false).get("/teams").getCookie(CSRF_COOKIE);
        if (csrf == null) {
            throw new AssertionError("no CSRF cookie for an anonymous visitor");
        }
        return new ConsoleSession(null, csrf);
    }

    public String session() {
        return session;
    }

    public String csrf() {
        return csrf;
    }

    public RequestSpecification request() {
        RequestSpecification r = given().redirects().follow(false).cookie(CSRF_COOKIE, csrf);
        return session == null ? r : r.cookie(SESSION_COOKIE, session);
    }

    public Response get(String path, Object... params) {
        return request().get(path, params);
    }

    /** Posts a form with the CSRF token, as the page's own form would. */
    public Response post(String path, Map<String, ?> form, Object... params) {
        Map<String, Object> body = new LinkedHashMap<>(form);
        body.put(CSRF_COOKIE, csrf);
        return request().contentType(ContentType.URLENC).formParams(body).post(path, params);
    }

    /** Posts a form without the CSRF token. */
    public Response postWithoutToken(String path, Map<String, ?> form, Object... params) {
        return request().contentType(ContentType.URLENC).formParams(form).post(path, params);
    }
}
