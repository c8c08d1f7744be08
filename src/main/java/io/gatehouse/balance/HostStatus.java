package io.gatehouse.balance;

/**
 * A pool member's health as the pool sees it: down when its passive marks or its active probe say so.
 *
 * @param sinceMillis wall-clock time of the transition that made it what it is
 * @param reason      why it is down ({@code connect refused (3 in a row)}, {@code probe /health answered
 *                    503}), or how it came back, or null
 */
public record HostStatus(String url, boolean up, long sinceMillis, String reason) {

    static HostStatus of(String url, HealthMarks passive, HealthMarks probe) {
        if (probe == null) {
            return new HostStatus(url, passive.isUp(), passive.sinceMillis(), passive.reason());
        }
        boolean passiveDown = !passive.isUp();
        boolean probeDown = !probe.isUp();
        if (passiveDown && probeDown) {
            HealthMarks first = passive.sinceMillis() <= probe.sinceMillis() ? passive : probe;
            return new HostStatus(url, false, first.sinceMillis(), passive.reason() + "; " + probe.reason());
        }
        if (passiveDown || probeDown) {
            HealthMarks down = passiveDown ? passive : probe;
            return new HostStatus(url, false, down.sinceMillis(), down.reason());
        }
        HealthMarks last = passive.sinceMillis() >= probe.sinceMillis() ? passive : probe;
        return new HostStatus(url, true, last.sinceMillis(), last.reason());
    }
}
