package io.gatehouse.balance;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** The balancing types of a backend config, with their wire names ({@code round_robin}, ...). */
public enum BalancerType {
    ROUND_ROBIN("Round robin"),
    WEIGHTED_ROUND_ROBIN("Weighted round robin"),
    LEAST_CONN("Least connections"),
    CONSISTENT_HASH("Consistent hashing"),
    LEAST_RESPONSE_TIME("Fastest response"),
    RANDOM("Weighted random");

    /** The type of a backend config that names none. */
    public static final BalancerType DEFAULT = WEIGHTED_ROUND_ROBIN;

    private final String wireName = name().toLowerCase(Locale.ROOT);
    private final String displayName;

    BalancerType(String displayName) {
        this.displayName = displayName;
    }

    /** What people call it ("Weighted round robin"); the console shows the wire name beside it. */
    public String displayName() {
        return displayName;
    }

    /** The display name of a wire name, or the wire name itself when it is none (an invalid input shown back). */
    public static String displayNameOf(String wireName) {
        for (BalancerType type : values()) {
            if (type.wireName.equals(wireName)) {
                return type.displayName;
            }
        }
        return wireName;
    }

    public static List<String> wireNames() {
        return Arrays.stream(values()).map(BalancerType::wireName).toList();
    }

    /** The type {@code wireName} names, or null when it names none. */
    public static BalancerType find(String wireName) {
        for (BalancerType type : values()) {
            if (type.wireName.equals(wireName)) {
                return type;
            }
        }
        return null;
    }

    public String wireName() {
        return wireName;
    }

    /** Whether hosts get traffic in proportion to their weights: every type but round_robin (hosts in turn). */
    public boolean weighted() {
        return this != ROUND_ROBIN;
    }

    /**
     * The share of a pool's requests a host of {@code weight} is configured to get, in a pool of {@code hosts}
     * hosts whose weights add up to {@code totalWeight}: its weight's share, or an equal share under round_robin.
     */
    public double share(int weight, int totalWeight, int hosts) {
        return weighted() ? (double) weight / totalWeight : 1.0 / hosts;
    }

    /** @throws IllegalArgumentException naming the valid values when {@code wireName} is not one. */
    public static BalancerType fromWireName(String wireName) {
        BalancerType type = find(wireName);
        if (type == null) {
            throw new IllegalArgumentException("unknown balancing type '" + wireName + "', expected one of "
                    + String.join(", ", wireNames()));
        }
        return type;
    }
}
