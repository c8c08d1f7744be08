package io.gatehouse.team;

import jakarta.persistence.AttributeConverter;

import java.util.Locale;

/** A member's role in a team, weakest first: each role can do everything the ones before it can. */
public enum Role {
    VIEWER, MAINTAINER, OWNER;

    public boolean atLeast(Role other) {
        return compareTo(other) >= 0;
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The role a wire name stands for, or null when it names none. */
    public static Role fromWireName(String name) {
        for (Role r : values()) {
            if (r.wireName().equals(name)) {
                return r;
            }
        }
        return null;
    }

    @jakarta.persistence.Converter
    public static class Converter implements AttributeConverter<Role, String> {
        @Override
        public String convertToDatabaseColumn(Role role) {
            return role == null ? null : role.wireName();
        }

        @Override
        public Role convertToEntityAttribute(String name) {
            return fromWireName(name);
        }
    }
}
