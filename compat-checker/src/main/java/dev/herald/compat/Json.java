package dev.herald.compat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** JSON helpers for reports. */
public final class Json {

    public static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int MAX = 80;

    private Json() {
    }

    /** Compact JSON, cut at 80 characters. */
    public static String brief(JsonNode node) {
        if (node == null) {
            return "(absent)";
        }
        String s = node.toString();
        return s.length() <= MAX ? s : s.substring(0, MAX - 3) + "...";
    }

    /** A text quoted and cut at 80 characters. */
    public static String briefText(String text) {
        String s = "'" + text + "'";
        return s.length() <= MAX ? s : s.substring(0, MAX - 4) + "...'";
    }
}
