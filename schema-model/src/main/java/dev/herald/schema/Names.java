package dev.herald.schema;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The naming rules of the registry, and how registry names map to Java names. One place, so that
 * the loader, the generator and the checker agree.
 */
public final class Names {

    private static final String WORD = "[a-z][a-z0-9]*(?:-[a-z0-9]+)*";

    /** {@code domain.action}, lower case, words joined by '-': {@code order.status-changed}. */
    public static final Pattern EVENT_NAME = Pattern.compile(WORD + "(?:\\." + WORD + ")+");

    /** Lower case, words joined by '-': {@code order}, {@code stock-sync}. */
    public static final Pattern SERVICE_NAME = Pattern.compile(WORD);

    /** Lower case, words joined by '-': {@code money}, {@code postal-address}. */
    public static final Pattern TYPE_NAME = Pattern.compile(WORD);

    /** {@code v1}, {@code v2}, ... without leading zeros. */
    public static final Pattern VERSION_FILE = Pattern.compile("v([1-9][0-9]*)\\.json");

    private static final Set<String> JAVA_KEYWORDS = Set.of(
            "abstract", "assert", "boolean", "break", "byte", "case", "catch", "char", "class", "const",
            "continue", "default", "do", "double", "else", "enum", "extends", "final", "finally", "float",
            "for", "goto", "if", "implements", "import", "instanceof", "int", "interface", "long", "native",
            "new", "package", "private", "protected", "public", "return", "short", "static", "strictfp",
            "super", "switch", "synchronized", "this", "throw", "throws", "transient", "try", "void",
            "volatile", "while", "true", "false", "null", "var", "yield", "record", "sealed", "permits",
            "_");

    private Names() {
    }

    public static boolean isValidEventName(String name) {
        return name != null && EVENT_NAME.matcher(name).matches();
    }

    public static boolean isValidServiceName(String name) {
        return name != null && SERVICE_NAME.matcher(name).matches();
    }

    public static boolean isValidTypeName(String name) {
        return name != null && TYPE_NAME.matcher(name).matches();
    }

    /** {@code order.status-changed} → {@code OrderStatusChanged}; {@code line_item} → {@code LineItem}. */
    public static String javaTypeName(String name) {
        StringBuilder out = new StringBuilder();
        for (String part : words(name)) {
            out.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
        }
        if (out.length() == 0 || !Character.isJavaIdentifierStart(out.charAt(0))) {
            out.insert(0, 'T');
        }
        return out.toString();
    }

    /** {@code order.status-changed} → {@code ORDER_STATUS_CHANGED}; {@code in progress} → {@code IN_PROGRESS}. */
    public static String constantName(String name) {
        StringBuilder out = new StringBuilder();
        String[] parts = spellSign(name).split("[^A-Za-z0-9]+");
        for (String part : parts) {
            if (part.isEmpty()) {
                continue;
            }
            if (out.length() > 0) {
                out.append('_');
            }
            // camelCase → CAMEL_CASE, so that enum values like "inProgress" read well too
            out.append(part.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT));
        }
        if (out.length() == 0 || !Character.isJavaIdentifierStart(out.charAt(0))) {
            out.insert(0, 'V');
        }
        return out.toString();
    }

    /**
     * A JSON property name as a Java field or record component name: {@code first-name} and
     * {@code first_name} → {@code firstName}; a Java keyword gets a trailing underscore.
     */
    public static String javaIdentifier(String jsonName) {
        String type = javaTypeName(jsonName);
        String ident = Character.toLowerCase(type.charAt(0)) + type.substring(1);
        return JAVA_KEYWORDS.contains(ident) ? ident + "_" : ident;
    }

    /**
     * A leading sign is spelled out, so that names that differ only in it stay apart:
     * {@code +1} → {@code plus1}, {@code -1} → {@code minus1} (GitHub's reactions), not both {@code t1}.
     */
    private static String spellSign(String name) {
        if (name.length() > 1 && (name.charAt(0) == '+' || name.charAt(0) == '-')) {
            return (name.charAt(0) == '+' ? "plus " : "minus ") + name.substring(1);
        }
        return name;
    }

    private static java.util.List<String> words(String name) {
        java.util.List<String> words = new java.util.ArrayList<>();
        for (String part : spellSign(name).split("[^A-Za-z0-9]+")) {
            if (!part.isEmpty()) {
                words.add(part);
            }
        }
        return words;
    }
}
