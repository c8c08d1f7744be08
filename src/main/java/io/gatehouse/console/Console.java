package io.gatehouse.console;

import io.gatehouse.auth.AccountService;
import io.gatehouse.console.Chrome.Flash;
import io.gatehouse.team.TeamService;
import io.vertx.core.http.Cookie;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.RequestScoped;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The console's per-request helper: builds the {@link Chrome} of a page from the same services the API
 * uses, and carries flash messages across redirects in a short-lived cookie.
 */
@RequestScoped
public class Console {
    static final String FLASH_COOKIE = "gatehouse-flash";

    private final AccountService accounts;
    private final TeamService teams;
    private final RoutingContext routing;

    public Console(AccountService accounts, TeamService teams, RoutingContext routing) {
        this.accounts = accounts;
        this.teams = teams;
        this.routing = routing;
    }

    /** The chrome of a page that belongs to team {@code teamSlug} (null for none); 401 when signed out. */
    public Chrome chrome(String title, String teamSlug) {
        var user = accounts.me();
        var switcher = teams.switcher(teamSlug);
        return new Chrome(title, user, switcher.first(), switcher.current(), takeFlash());
    }

    /** A 303 to {@code path} that shows {@code message} on the next page. */
    public static Response redirect(String path, String kind, String message) {
        Response.ResponseBuilder b = Response.seeOther(URI.create(path));
        if (message != null) {
            String value = Base64.getUrlEncoder().withoutPadding()
                    .encodeToString((kind + "|" + message).getBytes(StandardCharsets.UTF_8));
            b.cookie(new NewCookie.Builder(FLASH_COOKIE).value(value).path("/").maxAge(60).httpOnly(true)
                    .sameSite(NewCookie.SameSite.LAX).build());
        }
        return b.build();
    }

    public static Response redirect(String path, String message) {
        return redirect(path, "success", message);
    }

    /**
     * A cookie that carries a one-time result of a POST (a new secret) to the page the POST redirects to,
     * so a reload of that page repeats nothing: only {@code path} receives it, for at most a minute,
     * and {@link #takeOnce} clears it as it is read. SameSite=Strict: another site's link never carries it.
     */
    public static NewCookie once(String name, String path, String value) {
        return new NewCookie.Builder(name).path(path).maxAge(60).httpOnly(true)
                .sameSite(NewCookie.SameSite.STRICT)
                .value(Base64.getUrlEncoder().withoutPadding().encodeToString(value.getBytes(StandardCharsets.UTF_8)))
                .build();
    }

    /** The value of a {@link #once} cookie, or null; the cookie is cleared, so a reload shows nothing. */
    public String takeOnce(String name, String path) {
        Cookie cookie = routing.request().getCookie(name);
        if (cookie == null) {
            return null;
        }
        routing.response().addCookie(Cookie.cookie(name, "").setPath(path).setMaxAge(0));
        try {
            return new String(Base64.getUrlDecoder().decode(cookie.getValue()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Reads the flash message, if any, and clears it so a reload does not show it again. */
    private Flash takeFlash() {
        Cookie cookie = routing.request().getCookie(FLASH_COOKIE);
        if (cookie == null) {
            return null;
        }
        routing.response().addCookie(Cookie.cookie(FLASH_COOKIE, "").setPath("/").setMaxAge(0));
        try {
            String text = new String(Base64.getUrlDecoder().decode(cookie.getValue()), StandardCharsets.UTF_8);
            int bar = text.indexOf('|');
            if (bar < 0) {
                return null;
            }
            String kind = text.substring(0, bar).equals("error") ? "error" : "success";
            return new Flash(kind, text.substring(bar + 1));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
