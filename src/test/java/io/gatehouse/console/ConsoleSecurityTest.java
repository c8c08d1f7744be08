package io.gatehouse.console;

import io.gatehouse.Fixtures;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.gatehouse.Fixtures.admin;
import static io.gatehouse.Fixtures.backend;
import static io.gatehouse.Fixtures.host;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The console against hostile input: markup in every free-text field is shown escaped on every page that
 * shows it, SQL meta-characters are stored and shown verbatim, an oversized form body is refused before it
 * is read, and the cookies carry HttpOnly and SameSite. (CSRF on every form: {@link ConsoleAccessMatrixTest}.)
 */
@QuarkusTest
class ConsoleSecurityTest {
    static final String SCRIPT = "<script>alert(1)</script>";
    static final String IMG = "\"'><img src=x onerror=alert(1)>";
    static final String XSS = SCRIPT + " " + IMG;
    static final String SQL = "'; DROP TABLE gateway; -- 100% _x_ \\ \"q\" 'q'";

    @TestHTTPResource("/")
    URL base;

    /** Text as Qute's HTML escaping writes it: what a browser shows as exactly {@code text}. */
    static String html(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")
                .replace("'", "&#39;");
    }

    /** A string as a JSON value, as the diff page shows values. */
    static String json(String text) {
        return com.fasterxml.jackson.databind.node.TextNode.valueOf(text).toString();
    }

    /** Where a page shows hostile text unescaped, or does not show it at all. */
    static List<String> problems(String where, Response page, String... texts) {
        List<String> out = new ArrayList<>();
        String body = page.asString();
        if (page.statusCode() != 200 && page.statusCode() != 422) {
            out.add(where + ": status " + page.statusCode());
        }
        for (String raw : List.of(SCRIPT, "<img src=x onerror")) {
            if (body.contains(raw)) {
                out.add(where + ": raw markup " + raw);
            }
        }
        for (String text : texts) {
            if (!body.contains(html(text))) {
                out.add(where + ": does not show " + text);
            }
        }
        return out;
    }

    @Test
    void markupAndSqlInEveryFreeTextFieldAreStoredVerbatimAndShownEscaped() {
        ConsoleSession admin = ConsoleSession.login("admin", "admin-password-1");
        String slug = Fixtures.unique("xss");
        String teamName = "Team " + XSS + " " + SQL;
        // Through the console's own forms, as a user would type it.
        Response created = admin.post("/teams", Map.of("slug", slug, "name", teamName));
        created.then().statusCode(303);
        String gw = Fixtures.unique("xgw");
        admin.post("/teams/{t}/gateways", Map.of("name", gw, "description", "gw " + XSS + " " + SQL), slug).then()
                .statusCode(303);
        Map<String, String> stage = new LinkedHashMap<>(Map.of("name", "prod", "description", "st " + XSS + " " + SQL,
                "backend.hosts[0].url", "http://10.0.0.1:8000", "backend.hosts[0].weight", "1"));
        admin.post("/gateways/{g}/stages", stage, gw).then().statusCode(303);
        String path = "/it's;a=(1)&b=*";
        admin.post("/gateways/{g}/resources", Map.of("name", "r1", "method", "GET", "path", path, "backend_path",
                path + "/x", "description", "res " + XSS + " " + SQL, "use.prod", "stage"), gw).then().statusCode(303);
        admin.post("/gateways/{g}/publishing/versions", Map.of("title", "v " + XSS, "comment", "vc " + SQL), gw)
                .then().statusCode(303);
        admin.post("/gateways/{g}/publishing/stages/prod/publish", Map.of("version", "1", "comment", "rc " + XSS + " "
                + SQL), gw).then().statusCode(303);
        String user = Fixtures.unique("u");
        admin().body(Map.of("username", user, "password", Fixtures.PASSWORD, "display_name", "dn " + XSS + " " + SQL))
                .post("/api/v1/users").then().statusCode(201);
        Fixtures.member(slug, user, "viewer");

        // Stored exactly as typed.
        admin().get("/api/v1/teams").then().body("find { it.slug == '" + slug + "' }.name", equalTo(teamName));
        admin().get("/api/v1/gateways/{g}", gw).then().body("description", equalTo("gw " + XSS + " " + SQL));
        admin().get("/api/v1/gateways/{g}/stages/prod", gw).then().body("description", equalTo("st " + XSS + " " + SQL));
        admin().get("/api/v1/gateways/{g}/resources/r1", gw).then().body("path", equalTo(path))
                .body("backend_path", equalTo(path + "/x")).body("description", equalTo("res " + XSS + " " + SQL));
        admin().get("/api/v1/gateways/{g}/versions", gw).then().body("[0].title", equalTo("v " + XSS))
                .body("[0].comment", equalTo("vc " + SQL));
        admin().get("/api/v1/gateways/{g}/stages/prod/releases", gw).then().body("[0].comment",
                equalTo("rc " + XSS + " " + SQL));

        // Shown escaped, and as typed, on every page that shows it.
        List<String> problems = new ArrayList<>();
        problems.addAll(problems("flash", admin.request().cookie("gatehouse-flash", created.getCookie("gatehouse-flash"))
                .get("/teams/{t}/gateways", slug), "Team " + teamName + " created."));
        // The teams list pages (50 a page, by slug): searched for this one, so it is on the page whatever others exist.
        problems.addAll(problems("teams", admin.get("/teams?q={s}", slug), teamName));
        problems.addAll(problems("gateways", admin.get("/teams/{t}/gateways", slug), teamName, "gw " + XSS + " " + SQL));
        problems.addAll(problems("members", admin.get("/teams/{t}/members", slug), teamName, "dn " + XSS + " " + SQL));
        problems.addAll(problems("overview", admin.get("/gateways/{g}", gw), teamName, "gw " + XSS + " " + SQL));
        problems.addAll(problems("stages", admin.get("/gateways/{g}/stages", gw), "st " + XSS + " " + SQL));
        problems.addAll(problems("stage", admin.get("/gateways/{g}/stages/prod", gw), "st " + XSS + " " + SQL));
        problems.addAll(problems("resources", admin.get("/gateways/{g}/resources", gw), path, path + "/x"));
        problems.addAll(problems("resource", admin.get("/gateways/{g}/resources/r1", gw), path, path + "/x",
                "res " + XSS + " " + SQL));
        problems.addAll(problems("publishing", admin.get("/gateways/{g}/publishing", gw), "v " + XSS, "vc " + SQL,
                "rc " + XSS + " " + SQL));
        problems.addAll(problems("audit", admin.get("/gateways/{g}/audit", gw), "gw " + XSS + " " + SQL,
                "st " + XSS + " " + SQL, "res " + XSS + " " + SQL, "rc " + XSS + " " + SQL, path));
        ConsoleSession viewer = ConsoleSession.login(user, Fixtures.PASSWORD);
        problems.addAll(problems("topbar", viewer.get("/teams"), "dn " + XSS + " " + SQL));
        // Markup where the rules refuse it (paths): the form comes back with the input escaped.
        Response refused = admin.post("/gateways/{g}/resources/r1", Map.of("method", "GET", "path", "/a" + XSS,
                "backend_path", "/b" + IMG, "use.prod", "stage"), gw);
        problems.addAll(problems("refused resource", refused, "/a" + XSS, "/b" + IMG));
        assertEquals(422, refused.statusCode());
        // The diff of two versions shows changed values (as JSON) escaped too.
        admin().body(Map.of("method", "GET", "path", path, "description", "res2 " + XSS)).put(
                "/api/v1/gateways/{g}/resources/r1", gw).then().statusCode(200);
        admin.post("/gateways/{g}/publishing/versions", Map.of("title", "second"), gw).then().statusCode(303);
        problems.addAll(problems("diff", admin.get("/gateways/{g}/publishing/diff?a=1&b=2", gw),
                json("res " + XSS + " " + SQL), json("res2 " + XSS)));
        assertEquals(List.of(), problems);
    }

    @Test
    void sqlMetaCharactersInFiltersAreLiteral() {
        String gw = Fixtures.gateway(Fixtures.team());
        ConsoleSession admin = ConsoleSession.login("admin", "admin-password-1");
        for (String actor : List.of("%", "_", "a%", "' or '1'='1", "admin' --", "\\")) {
            admin.request().queryParam("actor", actor).get("/gateways/{g}/audit", gw).then().statusCode(200)
                    .body(containsString("No changes match this filter."))
                    .body(containsString("value=\"" + html(actor) + "\""));
        }
        admin.request().queryParam("actor", "admin").get("/gateways/{g}/audit", gw).then().statusCode(200)
                .body(containsString("data-action=\"gateway.create\""));
    }

    /**
     * Raw HTTP/1.1 on a socket: a console form whose body claims {@code declared} bytes (or is chunked when
     * null), of which at most {@code send} are sent. Returns the status line, or "reset" when the server
     * cut the connection before an answer could be read.
     */
    private String postBig(Long declared, int send, ConsoleSession s, String path, String name) throws IOException {
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            // A guard against hanging forever, not a timing assertion: the answer must not wait for the body.
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            String head = "POST " + path + " HTTP/1.1\r\nHost: " + base.getHost() + ":" + base.getPort() + "\r\n"
                    + "Content-Type: application/x-www-form-urlencoded\r\n"
                    + (declared == null ? "Transfer-Encoding: chunked\r\n" : "Content-Length: " + declared + "\r\n")
                    + "Cookie: " + ConsoleSession.SESSION_COOKIE + "=" + s.session() + "; " + ConsoleSession.CSRF_COOKIE
                    + "=" + s.csrf() + "\r\n\r\n";
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            byte[] start = ("csrf-token=" + s.csrf() + "&name=" + name + "&description=").getBytes(StandardCharsets.US_ASCII);
            byte[] chunk = "a".repeat(64 * 1024).getBytes(StandardCharsets.US_ASCII);
            try {
                write(out, start, declared == null);
                for (int sent = 0; sent < send; sent += chunk.length) {
                    write(out, chunk, declared == null);
                }
                out.flush();
            } catch (IOException refusedWhileSending) {
                // The server answered and closed while the body was still coming: read what it said.
            }
            // The head, then as much body as it declares (lower-cased header names, so callers match one way).
            StringBuilder response = new StringBuilder();
            try {
                InputStream in = socket.getInputStream();
                int length = 0;
                for (String line = line(in); line != null; line = line(in)) {
                    response.append(response.length() == 0 ? line : line.toLowerCase()).append("\r\n");
                    if (line.toLowerCase().startsWith("content-length:")) {
                        length = Integer.parseInt(line.substring(15).trim());
                    }
                    if (line.isEmpty()) {
                        response.append(new String(in.readNBytes(length), StandardCharsets.UTF_8));
                        break;
                    }
                }
                return response.toString();
            } catch (IOException e) {
                return response.length() == 0 ? "reset" : response.toString();
            }
        }
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int c = in.read();
        if (c == -1) {
            return null;
        }
        for (; c != -1 && c != '\n'; c = in.read()) {
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }

    private static void write(OutputStream out, byte[] bytes, boolean chunked) throws IOException {
        if (chunked) {
            out.write((Integer.toHexString(bytes.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        }
        out.write(bytes);
        if (chunked) {
            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
    }

    @Test
    void aTenMegabyteFormIsRefusedBeforeItIsReadAndNothingIsSaved() throws Exception {
        String team = Fixtures.team();
        ConsoleSession admin = ConsoleSession.login("admin", "admin-password-1");
        String path = "/teams/" + team + "/gateways";
        int tenMb = 10 * 1024 * 1024;
        // Declared 10 MB, a few bytes sent: the 413 comes on the head alone, so the body is never read.
        String declared = Fixtures.unique("big");
        String refused = postBig((long) tenMb, 0, admin, path, declared);
        assertTrue(refused.startsWith("HTTP/1.1 413 Request Entity Too Large\r\n"), refused);
        assertTrue(refused.contains("content-type: text/html"), refused);
        assertTrue(refused.contains("The form is 10485760 bytes; the limit is 1 MiB."), refused);
        // Chunked, so no length is declared: refused on its head (411), never handed to the form.
        String chunked = Fixtures.unique("big");
        String answer = postBig(null, tenMb, admin, path, chunked);
        assertTrue(answer.startsWith("HTTP/1.1 411 Length Required\r\n") || answer.equals("reset")
                || answer.isEmpty(), answer);
        admin().get("/api/v1/teams/{t}/gateways", team).then().statusCode(200)
                .body("name", not(hasItem(declared))).body("name", not(hasItem(chunked)));
        // A form under the limit still goes through.
        admin.post("/teams/{t}/gateways", Map.of("name", declared, "description", "a".repeat(1000)), team).then()
                .statusCode(303);
    }

    /** Login CSRF: another site's page posting credentials to the sign-in endpoint gets no session ({@code CrossSiteGuard}). */
    @Test
    void aCrossSiteSignInIsRefusedAndASameOriginOneGoesThrough() {
        java.util.function.BiFunction<String, String, Response> signIn = (header, value) -> {
            var q = given().redirects().follow(false).contentType("application/x-www-form-urlencoded");
            if (header != null) {
                q.header(header, value);
            }
            return q.formParam("j_username", "admin").formParam("j_password", "admin-password-1").post("/j_security_check");
        };
        for (String[] refused : new String[][]{{"Sec-Fetch-Site", "cross-site"}, {"Sec-Fetch-Site", "same-site"},
                {"Origin", "http://evil.example"}, {"Origin", "null"}}) {
            Response r = signIn.apply(refused[0], refused[1]);
            assertEquals(403, r.statusCode(), refused[0] + ": " + refused[1]);
            assertTrue(r.asString().contains("Cross-site request refused"), r.asString());
            assertEquals(null, r.getCookie(ConsoleSession.SESSION_COOKIE), refused[0] + ": " + refused[1]);
        }
        String host = RestAssured.baseURI.replaceFirst("^https?://", "") + ":" + RestAssured.port;
        for (String[] allowed : new String[][]{{"Sec-Fetch-Site", "same-origin"}, {"Sec-Fetch-Site", "none"},
                {"Origin", "http://" + host}, {null, null}}) {
            Response r = signIn.apply(allowed[0], allowed[1]);
            assertEquals(302, r.statusCode(), allowed[0] + ": " + allowed[1]);
            assertTrue(r.getCookie(ConsoleSession.SESSION_COOKIE) != null, allowed[0] + ": " + allowed[1]);
        }
        // The provider sign-out, a GET that quarkus-oidc answers: another site's link cannot end a session.
        given().redirects().follow(false).header("Sec-Fetch-Site", "cross-site").get("/logout/oidc").then()
                .statusCode(403);
        given().redirects().follow(false).header("Sec-Fetch-Site", "same-origin").get("/logout/oidc").then()
                .statusCode(not(403));
    }

    @Test
    void sessionFlashAndCsrfCookiesAreHttpOnlyAndSameSite() {
        Response login = given().redirects().follow(false).contentType("application/x-www-form-urlencoded")
                .formParam("j_username", "admin").formParam("j_password", "admin-password-1").post("/j_security_check");
        String session = setCookie(login, ConsoleSession.SESSION_COOKIE);
        assertTrue(attributes(session).contains("httponly"), session);
        assertTrue(attributes(session).contains("samesite=lax"), session);
        assertTrue(attributes(session).contains("path=/"), session);
        ConsoleSession admin = ConsoleSession.login("admin", "admin-password-1");
        Response page = given().redirects().follow(false).cookie(ConsoleSession.SESSION_COOKIE, admin.session())
                .get("/teams");
        String csrf = setCookie(page, ConsoleSession.CSRF_COOKIE);
        assertTrue(attributes(csrf).contains("httponly"), csrf);
        assertTrue(attributes(csrf).contains("samesite=lax"), csrf);
        Response flash = admin.post("/teams/{t}/gateways", Map.of("name", Fixtures.unique("ck")), Fixtures.team());
        String flashCookie = setCookie(flash, "gatehouse-flash");
        assertTrue(attributes(flashCookie).contains("httponly"), flashCookie);
        assertTrue(attributes(flashCookie).contains("samesite=lax"), flashCookie);
    }

    /** The attributes of a Set-Cookie header, lower-cased: "httponly", "samesite=lax", "path=/". */
    private static java.util.Set<String> attributes(String setCookie) {
        java.util.Set<String> out = new java.util.HashSet<>();
        for (String part : setCookie.substring(setCookie.indexOf(';') + 1).split(";")) {
            out.add(part.trim().toLowerCase());
        }
        return out;
    }

    private static String setCookie(Response r, String name) {
        return r.getHeaders().getValues("Set-Cookie").stream().filter(c -> c.startsWith(name + "=")).findFirst()
                .orElseThrow(() -> new AssertionError("no Set-Cookie for " + name + ": " + r.getHeaders()));
    }
}
