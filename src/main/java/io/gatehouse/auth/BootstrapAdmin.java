package io.gatehouse.auth;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.transaction.Transactional;
import io.gatehouse.GatehouseConfig;
import io.gatehouse.common.NameRules;
import org.jboss.logging.Logger;

import java.util.Optional;

/**
 * Creates the first platform admin from {@code GATEHOUSE_BOOTSTRAP_ADMIN_USERNAME} and
 * {@code GATEHOUSE_BOOTSTRAP_ADMIN_PASSWORD} when no user of that name exists; never changes an existing one.
 */
@ApplicationScoped
public class BootstrapAdmin {
    private static final Logger LOG = Logger.getLogger(BootstrapAdmin.class);

    private final GatehouseConfig config;
    private final Passwords passwords;

    public BootstrapAdmin(GatehouseConfig config, Passwords passwords) {
        this.config = config;
        this.passwords = passwords;
    }

    @Transactional
    void onStart(@Observes StartupEvent event) {
        if (config.mode() == GatehouseConfig.Mode.PROXY_ONLY) {
            return;
        }
        Optional<String> username = config.bootstrapAdmin().username();
        Optional<String> password = config.bootstrapAdmin().password();
        if (username.isEmpty() || password.isEmpty()) {
            if (AppUser.count() == 0) {
                LOG.warn("No users yet: set GATEHOUSE_BOOTSTRAP_ADMIN_USERNAME and GATEHOUSE_BOOTSTRAP_ADMIN_PASSWORD");
            }
            return;
        }
        if (AppUser.findByUsername(username.get()).isPresent()) {
            return;
        }
        if (!AccountService.USERNAME.matcher(username.get()).matches()) {
            throw new IllegalStateException("GATEHOUSE_BOOTSTRAP_ADMIN_USERNAME: " + NameRules.USERNAME);
        }
        String problem = Passwords.problem(password.get());
        if (problem != null) {
            throw new IllegalStateException("GATEHOUSE_BOOTSTRAP_ADMIN_PASSWORD " + problem);
        }
        // Two consoles starting on an empty database may both get here: the loser's insert does nothing.
        int created = AppUser.getEntityManager().createNativeQuery(
                        "insert into app_user (username, display_name, password_hash, platform_admin) "
                                + "values (?1, 'Platform admin', ?2, true) on conflict (username) do nothing")
                .setParameter(1, username.get()).setParameter(2, passwords.hash(password.get())).executeUpdate();
        if (created == 1) {
            LOG.infof("Created platform admin '%s'", username.get());
        }
    }
}
