package dev.herald.codegen;

/** Text from schemas, made safe for a Javadoc comment. */
final class Javadocs {

    private Javadocs() {
    }

    /** Escapes HTML and comment terminators; keeps line breaks. */
    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '@' -> out.append("&#64;");
                case '*' -> out.append(i + 1 < text.length() && text.charAt(i + 1) == '/' ? "&#42;" : "*");
                case '\\' -> out.append("&#92;");
                case '\r' -> { }
                default -> out.append(c);
            }
        }
        return out.toString().strip();
    }
}
