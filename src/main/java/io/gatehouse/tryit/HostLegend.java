package io.gatehouse.tryit;

import io.gatehouse.balance.Balancer;
import io.gatehouse.balance.BalancerType;
import io.gatehouse.balance.Host;
import io.gatehouse.tryit.TryIt.HostShare;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Letters for hosts: {@code a, b, …} in the pool's order, then any other host that answered (a tenant
 * falling back to the default hosts) in order of appearance.
 */
final class HostLegend {
    private final Map<String, Integer> weights = new LinkedHashMap<>();
    private final Map<String, String> letters = new LinkedHashMap<>();
    private final Map<String, Integer> counts = new LinkedHashMap<>();
    private final BalancerType type;

    /** The pool as the proxy compiled it: its host URLs are the ones the proxy names as having answered. */
    HostLegend(Balancer pool) {
        this.type = pool.type();
        for (Host h : pool.hosts()) {
            weights.put(h.url(), h.weight());
            letter(h.url());
        }
    }

    private String letter(String url) {
        return letters.computeIfAbsent(url, u -> name(letters.size()));
    }

    /** a … z, then aa, ab, …: spreadsheet column names, lower case. */
    static String name(int index) {
        StringBuilder b = new StringBuilder();
        int n = index + 1;
        while (n > 0) {
            n--;
            b.insert(0, (char) ('a' + n % 26));
            n /= 26;
        }
        return b.toString();
    }

    String answered(String url) {
        counts.merge(url, 1, Integer::sum);
        return letter(url);
    }

    Map<String, Integer> counts() {
        Map<String, Integer> out = new LinkedHashMap<>();
        letters.keySet().forEach(url -> {
            if (counts.containsKey(url)) {
                out.put(url, counts.get(url));
            }
        });
        return out;
    }

    List<HostShare> shares(int sent) {
        int total = weights.values().stream().mapToInt(Integer::intValue).sum();
        List<HostShare> out = new ArrayList<>();
        letters.forEach((url, letter) -> {
            Integer w = weights.get(url);
            double configured = w == null ? 0 : type.share(w, total, weights.size());
            int n = counts.getOrDefault(url, 0);
            out.add(new HostShare(letter, url, w == null ? 0 : w, configured, n, sent == 0 ? 0 : (double) n / sent));
        });
        return out;
    }
}
