package io.gatehouse.stage;

import io.gatehouse.balance.HashKey;
import io.gatehouse.common.Violations;

/**
 * {@code hash}: where {@code consistent_hash} reads a request's key ({@code on}: header, cookie, path or ip; a
 * header or cookie {@code name}) and how many ring points each unit of weight gets.
 */
public record HashSpec(String on, String name, Integer replicas) {
    public static final int MAX_REPLICAS = 1000;

    /** This spec with the default ring points ({@link HashKey#DEFAULT_REPLICAS}) when none are given. */
    public HashSpec withDefaults() {
        return new HashSpec(on, name, replicas == null ? HashKey.DEFAULT_REPLICAS : replicas);
    }

    public void validate(String field, Violations v) {
        HashKey.On source = HashKey.On.find(on);
        if (source == null) {
            v.add(field + ".on", "must be one of " + String.join(", ", HashKey.On.wireNames()));
        } else if (source == HashKey.On.HEADER || source == HashKey.On.COOKIE) {
            if (name == null || !BackendConfig.TOKEN.matcher(name).matches()) {
                v.add(field + ".name", "is required for hash on " + on + " and must be a valid " + on + " name");
            }
        } else if (name != null) {
            v.add(field + ".name", "is only allowed for hash on header or cookie");
        }
        v.range(field + ".replicas", replicas, 1, MAX_REPLICAS);
    }
}
