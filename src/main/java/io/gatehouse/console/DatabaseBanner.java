package io.gatehouse.console;

import io.gatehouse.database.DatabaseStatus;
import io.quarkus.arc.Arc;
import io.quarkus.qute.TemplateGlobal;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * {@code databaseDown} in every console template: null while the database answers, else the sentence the layout
 * and the sign-in page show in a banner (the pages themselves answer 503 when they need the database).
 */
@TemplateGlobal
public class DatabaseBanner {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

    static String databaseDown() {
        DatabaseStatus.State s = Arc.container().instance(DatabaseStatus.class).get().state();
        if (s.up()) {
            return null;
        }
        return "The database does not answer (since " + TIME.format(s.since().atOffset(ZoneOffset.UTC)) + " UTC: "
                + s.reason() + "). Sign-in, pages and changes need it; published gateways keep being served.";
    }
}
