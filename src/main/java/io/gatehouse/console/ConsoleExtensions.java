package io.gatehouse.console;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.qute.TemplateExtension;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Display logic for the console's templates. */
@TemplateExtension
public class ConsoleExtensions {
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");
    private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    /** A query parameter's value, percent-encoded (RFC 3986 form encoding). */
    static String urlEncode(String s) {
        return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Where a team's add-member field asks for the accounts matching what is typed (TeamPages). */
    static String memberSuggestions(io.gatehouse.team.TeamService.TeamView team) {
        return "/teams/" + team.slug() + "/members/suggestions";
    }

    static String when(OffsetDateTime t) {
        return t == null ? "" : WHEN.format(t);
    }

    /** A moment in UTC to the second, where the exact time matters (the audit log). */
    static String utc(OffsetDateTime t) {
        return t == null ? "" : UTC.format(t.withOffsetSameInstant(ZoneOffset.UTC)) + " UTC";
    }

    /** A JSON value as a person reads it: strings as typed (no quotes or escapes), absent as a dash. */
    static String shown(JsonNode v) {
        return v == null || v.isNull() || v.isMissingNode() ? "—" : v.isTextual() ? v.asText() : v.toString();
    }

    /** "1 resource", "3 resources". */
    static String count(Number n, String noun) {
        long v = n.longValue();
        return v + " " + noun + (v == 1 ? "" : "s");
    }

    /** A balancing type's wire name as people say it: "least_conn" to "Least connections" (BalancerType). */
    static String balancerName(String wire) {
        return io.gatehouse.balance.BalancerType.displayNameOf(wire);
    }

    /** A role as a label: "owner" to "Owner". */
    static String label(String wire) {
        return wire == null || wire.isEmpty() ? "" : Character.toUpperCase(wire.charAt(0)) + wire.substring(1)
                .replace('_', ' ');
    }

    /** A fraction as a percentage with one decimal: 0.75 to "75.0%". */
    static String pct(Double fraction) {
        return fraction == null ? "" : String.format(java.util.Locale.ROOT, "%.1f%%", fraction * 100);
    }

    /** Whether a "Try it" sequence entry names a host (a letter) rather than a status such as 503. */
    static boolean isHostLetter(String entry) {
        return entry != null && !entry.isEmpty() && entry.chars().allMatch(c -> c >= 'a' && c <= 'z')
                && !entry.equals("error") && !entry.equals("timeout");
    }

    /** How a diff row changed, for its colour: {@code added}, {@code removed} or {@code changed}. */
    static String kind(io.gatehouse.common.JsonDiff.FieldChange c) {
        boolean before = c.from() != null && !c.from().isNull() && !c.from().isMissingNode();
        boolean after = c.to() != null && !c.to().isNull() && !c.to().isMissingNode();
        return !before ? "added" : !after ? "removed" : "changed";
    }

    /** The first letter, for the avatar. */
    static String initial(String name) {
        return name == null || name.isEmpty() ? "?" : name.substring(0, 1).toUpperCase();
    }
}
