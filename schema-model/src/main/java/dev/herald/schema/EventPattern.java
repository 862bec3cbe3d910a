package dev.herald.schema;

/**
 * Listener patterns: an exact event name ({@code order.created}), {@code *} for exactly one
 * dot-separated segment ({@code order.*}, {@code *.created}) and {@code **} for any number of
 * segments ({@code **} alone: every event).
 */
public final class EventPattern {

    private EventPattern() {
    }

    public static boolean matches(String pattern, String eventName) {
        return match(pattern.split("\\.", -1), 0, eventName.split("\\.", -1), 0);
    }

    private static boolean match(String[] p, int i, String[] n, int j) {
        if (i == p.length) {
            return j == n.length;
        }
        if (p[i].equals("**")) {
            for (int k = j; k <= n.length; k++) {
                if (match(p, i + 1, n, k)) {
                    return true;
                }
            }
            return false;
        }
        if (j == n.length) {
            return false;
        }
        return (p[i].equals("*") || p[i].equals(n[j])) && match(p, i + 1, n, j + 1);
    }

    /** Whether a pattern is well formed: segments of {@code [a-z0-9_-]}, {@code *} or {@code **}. */
    public static void check(String pattern) {
        if (pattern == null || pattern.isEmpty()) {
            throw new IllegalArgumentException("empty listener pattern");
        }
        for (String s : pattern.split("\\.", -1)) {
            if (!(s.equals("*") || s.equals("**") || s.matches("[A-Za-z0-9_-]+"))) {
                throw new IllegalArgumentException("bad listener pattern '" + pattern + "': segment '" + s + "'");
            }
        }
    }
}
