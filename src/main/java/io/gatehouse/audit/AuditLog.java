package io.gatehouse.audit;

import io.gatehouse.common.JsonColumns;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

/** Records who changed what, with the state before and after, in the transaction of the change itself. */
@ApplicationScoped
public class AuditLog {
    private final JsonColumns json;

    public AuditLog(JsonColumns json) {
        this.json = json;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void record(String actor, String team, String gateway, String action, String target, Object before,
                       Object after) {
        AuditEntry entry = new AuditEntry();
        entry.actor = actor;
        entry.team = team;
        entry.gateway = gateway;
        entry.action = action;
        entry.target = target;
        entry.before = json.write(before);
        entry.after = json.write(after);
        entry.persist();
    }
}
