package dev.herald.codegen;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Turns a JSON Schema {@code pattern} into a Jakarta {@code @Pattern} regexp.
 *
 * <p>JSON Schema patterns are unanchored: {@code "[0-9]"} accepts any string containing a digit.
 * {@code @Pattern} must match the whole string. A pattern anchored at both ends is kept as written
 * (the common case, and the most readable); otherwise the missing side is opened with
 * {@code [\s\S]*} (any character, newlines included, without changing the meaning of {@code .}
 * inside the pattern), and a top-level alternation is grouped first.
 */
final class Patterns {

    private Patterns() {
    }

    /** The regexp for {@code @Pattern}; throws {@link PatternSyntaxException} if Java cannot compile it. */
    static String toFullMatch(String pattern) {
        Pattern.compile(pattern);
        if (hasTopLevelAlternation(pattern)) {
            return "[\\s\\S]*(?:" + pattern + ")[\\s\\S]*";
        }
        boolean start = pattern.startsWith("^");
        boolean end = endsWithAnchor(pattern);
        return (start ? "" : "[\\s\\S]*") + pattern + (end ? "" : "[\\s\\S]*");
    }

    static boolean endsWithAnchor(String pattern) {
        if (!pattern.endsWith("$")) {
            return false;
        }
        int backslashes = 0;
        for (int i = pattern.length() - 2; i >= 0 && pattern.charAt(i) == '\\'; i--) {
            backslashes++;
        }
        return backslashes % 2 == 0;
    }

    static boolean hasTopLevelAlternation(String pattern) {
        int depth = 0;
        boolean inClass = false;
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '\\') {
                i++;
            } else if (inClass) {
                if (c == ']') {
                    inClass = false;
                }
            } else if (c == '[') {
                inClass = true;
                if (i + 1 < pattern.length() && pattern.charAt(i + 1) == '^') {
                    i++;
                }
                if (i + 1 < pattern.length() && pattern.charAt(i + 1) == ']') {
                    i++;
                }
            } else if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == '|' && depth == 0) {
                return true;
            }
        }
        return false;
    }
}
