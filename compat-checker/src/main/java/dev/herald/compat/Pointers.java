package dev.herald.compat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/** RFC 6901 helpers. */
public final class Pointers {

    private Pointers() {
    }

    public static String escape(String token) {
        if (token.indexOf('~') < 0 && token.indexOf('/') < 0) {
            return token; // the usual case: nothing to escape, no copies
        }
        return token.replace("~", "~0").replace("/", "~1");
    }

    public static String child(String pointer, String token) {
        return pointer + "/" + escape(token);
    }

    public static String child(String pointer, int index) {
        return pointer + "/" + index;
    }

    /** The node at a pointer (URL-decoded fragment syntax accepted), or null. */
    public static JsonNode at(JsonNode root, String pointer) {
        String p = pointer.startsWith("#") ? pointer.substring(1) : pointer;
        p = URLDecoder.decode(p.replace("+", "%2B"), StandardCharsets.UTF_8);
        if (p.isEmpty()) {
            return root;
        }
        JsonNode at = root.at(p);
        return at.isMissingNode() ? null : at;
    }
}
