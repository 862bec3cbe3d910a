package dev.herald.compat;

import dk.brics.automaton.Automaton;
import dk.brics.automaton.RegExp;

/**
 * The set of strings a JSON Schema {@code pattern} accepts, as a finite automaton, so that the
 * gate can decide whether a changed pattern accepts more (compatible for old data), less, or
 * both — with a concrete string for each direction. A pattern is an unanchored ECMA-262 search:
 * its language is every string containing a match, unless {@code ^}/{@code $} anchor it.
 *
 * <p>Only regular patterns are translated: literals, escapes, classes (with {@code \d \w \s}),
 * {@code .}, groups, alternation, quantifiers, and anchors at the very start or end. Backreferences,
 * lookaround, word boundaries, Unicode property escapes and anchors elsewhere are not regular (or
 * not worth the risk): such a pair is reported as changed both ways, saying why.
 */
public final class PatternLanguage {

    /** Beyond this many states a comparison is not worth its time: reported as undecided. */
    static final int MAX_STATES = 20_000;
    /** Larger {n,m} counts are refused before an automaton is built: nested ones multiply. */
    static final int MAX_REPEAT = 100;

    /**
     * The outcome of comparing two patterns.
     *
     * @param undecided  why no verdict was reached, or null
     * @param onlyInOld  a string the old pattern accepts and the new one refuses, or null
     * @param onlyInNew  a string the new pattern accepts and the old one refuses, or null
     */
    public record Comparison(String undecided, String onlyInOld, String onlyInNew) {
    }

    private PatternLanguage() {
    }

    public static Comparison compare(String oldPattern, String newPattern) {
        Automaton a;
        Automaton b;
        try {
            a = automaton(oldPattern);
            b = automaton(newPattern);
        } catch (Unsupported e) {
            return new Comparison(e.getMessage(), null, null);
        }
        if (a.getNumberOfStates() > MAX_STATES || b.getNumberOfStates() > MAX_STATES) {
            return new Comparison("the patterns are too large to compare", null, null);
        }
        return new Comparison(null, a.minus(b).getShortestExample(true), b.minus(a).getShortestExample(true));
    }

    /** Whether {@code pattern} matches {@code text} (searched, as JSON Schema does); null when the pattern is outside the regular subset. */
    public static Boolean matches(String pattern, String text) {
        try {
            return automaton(pattern).run(text);
        } catch (Unsupported e) {
            return null;
        }
    }

    /** Whether some string matches both patterns (true when Herald cannot tell). */
    public static boolean mayOverlap(String a, String b) {
        try {
            Automaton x = automaton(a);
            Automaton y = automaton(b);
            if (x.getNumberOfStates() > MAX_STATES || y.getNumberOfStates() > MAX_STATES) {
                return true;
            }
            return !x.intersection(y).isEmpty();
        } catch (Unsupported e) {
            return true;
        }
    }

    /** The automaton of the strings {@code pattern} accepts (searched, as JSON Schema does). */
    static Automaton automaton(String pattern) throws Unsupported {
        Translator t = new Translator(pattern);
        String body = t.translate();
        String brics = (t.anchoredStart ? "" : ".*") + "(" + body + ")" + (t.anchoredEnd ? "" : ".*");
        try {
            Automaton a = new RegExp(brics, RegExp.NONE).toAutomaton();
            a.minimize();
            return a;
        } catch (IllegalArgumentException e) {
            throw new Unsupported("the pattern could not be read as a regular language (" + e.getMessage() + ")");
        }
    }

    static final class Unsupported extends Exception {
        private static final long serialVersionUID = 1L;

        Unsupported(String message) {
            super(message, null, false, false);
        }
    }

    /** ECMA-262 pattern to brics syntax, refusing what is not regular. */
    private static final class Translator {
        private static final String DIGIT = "0-9";
        private static final String WORD = "0-9A-Za-z_";
        private static final String SPACE = " \t\n\u000B\f\r\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000\uFEFF";
        private final String p;
        private int i;
        boolean anchoredStart;
        boolean anchoredEnd;

        Translator(String pattern) {
            this.p = pattern;
        }

        String translate() throws Unsupported {
            if (p.startsWith("^")) {
                anchoredStart = true;
                i = 1;
            }
            String end = p;
            if (p.endsWith("$") && !p.endsWith("\\$") && p.length() > (anchoredStart ? 1 : 0)) {
                anchoredEnd = true;
                end = p.substring(0, p.length() - 1);
            }
            String body = alternation(end, 0);
            if (i != end.length()) {
                throw new Unsupported("an unbalanced ')' in the pattern");
            }
            if ((anchoredStart || anchoredEnd) && topLevelAlternation) {
                throw new Unsupported("anchors with a top-level '|' bind per branch");
            }
            return body;
        }

        private boolean topLevelAlternation;

        private String alternation(String s, int depth) throws Unsupported {
            StringBuilder out = new StringBuilder(sequence(s, depth));
            while (i < s.length() && s.charAt(i) == '|') {
                i++;
                if (depth == 0) {
                    topLevelAlternation = true;
                }
                out.append('|').append(sequence(s, depth));
            }
            return out.toString();
        }

        private String sequence(String s, int depth) throws Unsupported {
            StringBuilder out = new StringBuilder();
            while (i < s.length() && s.charAt(i) != '|' && s.charAt(i) != ')') {
                String atom = atom(s, depth);
                out.append(quantified(s, atom));
            }
            return out.length() == 0 ? "()" : out.toString(); // the empty string, which brics writes ()
        }

        private String quantified(String s, String atom) throws Unsupported {
            if (i >= s.length()) {
                return atom;
            }
            char c = s.charAt(i);
            String q = null;
            if (c == '*' || c == '+' || c == '?') {
                q = String.valueOf(c);
                i++;
            } else if (c == '{') {
                int close = s.indexOf('}', i);
                String inner = close < 0 ? "" : s.substring(i + 1, close);
                if (inner.matches("\\d+(,\\d*)?")) {
                    for (String bound : inner.split(",")) {
                        if (!bound.isEmpty() && (bound.length() > 3 || Integer.parseInt(bound) > MAX_REPEAT)) {
                            throw new Unsupported("a repetition count over " + MAX_REPEAT + " (the automaton would be too large to build)");
                        }
                    }
                    q = "{" + inner + "}";
                    i = close + 1;
                }
            }
            if (q == null) {
                return atom;
            }
            if (i < s.length() && s.charAt(i) == '?') {
                i++; // lazy: the same language
            }
            return "(" + atom + ")" + q;
        }

        private String atom(String s, int depth) throws Unsupported {
            char c = s.charAt(i++);
            switch (c) {
                case '(' -> {
                    if (s.startsWith("?:", i)) {
                        i += 2;
                    } else if (s.startsWith("?<", i) && i + 2 < s.length() && s.charAt(i + 2) != '=' && s.charAt(i + 2) != '!') {
                        int close = s.indexOf('>', i);
                        if (close < 0) {
                            throw new Unsupported("an unterminated group name");
                        }
                        i = close + 1;
                    } else if (s.startsWith("?", i)) {
                        throw new Unsupported("lookaround is not a regular language");
                    }
                    String inner = alternation(s, depth + 1);
                    if (i >= s.length() || s.charAt(i) != ')') {
                        throw new Unsupported("an unclosed '('");
                    }
                    i++;
                    return "(" + inner + ")";
                }
                case '[' -> {
                    return characterClass(s);
                }
                case '.' -> {
                    return "[^" + lit('\n') + lit('\r') + lit('\u2028') + lit('\u2029') + "]";
                }
                case '^', '$' -> throw new Unsupported("an anchor inside the pattern");
                case '\\' -> {
                    return escape(s, false);
                }
                case '*', '+', '?', '{' -> {
                    if (c == '{') {
                        return lit(c);
                    }
                    throw new Unsupported("a quantifier with nothing to repeat");
                }
                default -> {
                    return lit(c);
                }
            }
        }

        private String characterClass(String s) throws Unsupported {
            boolean negated = i < s.length() && s.charAt(i) == '^';
            if (negated) {
                i++;
            }
            StringBuilder members = new StringBuilder();
            while (i < s.length() && s.charAt(i) != ']') {
                char c = s.charAt(i++);
                String member;
                if (c == '\\') {
                    member = escape(s, true);
                } else {
                    member = lit(c);
                }
                if (i + 1 < s.length() && s.charAt(i) == '-' && s.charAt(i + 1) != ']' && member.length() == 2) {
                    i++;
                    char d = s.charAt(i++);
                    String to = d == '\\' ? escape(s, true) : lit(d);
                    if (to.length() != 2) {
                        throw new Unsupported("a class range ending in a shorthand");
                    }
                    members.append(member).append('-').append(to);
                } else {
                    members.append(member);
                }
            }
            if (i >= s.length()) {
                throw new Unsupported("an unclosed '['");
            }
            i++;
            if (members.length() == 0) {
                throw new Unsupported("an empty class ([] or [^])");
            }
            return (negated ? "[^" : "[") + members + "]";
        }

        /** After a backslash: a literal (two chars, "\x"), or a class body / class for a shorthand. */
        private String escape(String s, boolean inClass) throws Unsupported {
            if (i >= s.length()) {
                throw new Unsupported("a trailing backslash");
            }
            char c = s.charAt(i++);
            switch (c) {
                case 'd', 'w', 's' -> {
                    String set = c == 'd' ? DIGIT : c == 'w' ? WORD : escapeAll(SPACE);
                    return inClass ? set : "[" + set + "]";
                }
                case 'D', 'W', 'S' -> {
                    if (inClass) {
                        throw new Unsupported("a negated shorthand (\\" + c + ") inside a class");
                    }
                    String set = c == 'D' ? DIGIT : c == 'W' ? WORD : escapeAll(SPACE);
                    return "[^" + set + "]";
                }
                case 't' -> {
                    return lit('\t');
                }
                case 'n' -> {
                    return lit('\n');
                }
                case 'r' -> {
                    return lit('\r');
                }
                case 'f' -> {
                    return lit('\f');
                }
                case 'v' -> {
                    return lit('\u000B');
                }
                case '0' -> {
                    if (i < s.length() && Character.isDigit(s.charAt(i))) {
                        throw new Unsupported("an octal escape (\\0 followed by a digit)");
                    }
                    return lit('\0');
                }
                case 'x' -> {
                    return lit(hex(s, 2));
                }
                case 'u' -> {
                    return lit(hex(s, 4));
                }
                case 'b' -> {
                    if (inClass) {
                        return lit('\b');
                    }
                    throw new Unsupported("a word boundary (\\b) is not a regular language here");
                }
                case 'B', 'p', 'P', 'k', 'c' -> throw new Unsupported("\\" + c + " is not supported in a regular pattern");
                default -> {
                    if (c >= '1' && c <= '9') {
                        throw new Unsupported("a backreference is not a regular language");
                    }
                    return lit(c);
                }
            }
        }

        private char hex(String s, int n) throws Unsupported {
            if (i + n > s.length()) {
                throw new Unsupported("a short hexadecimal escape");
            }
            String digits = s.substring(i, i + n);
            if (!digits.matches("[0-9A-Fa-f]+")) {
                throw new Unsupported("a malformed hexadecimal escape");
            }
            i += n;
            return (char) Integer.parseInt(digits, 16);
        }

        private static String escapeAll(String set) {
            StringBuilder b = new StringBuilder();
            for (int k = 0; k < set.length(); k++) {
                char c = set.charAt(k);
                b.append(c == '-' ? "-" : lit(c));
            }
            return b.toString();
        }

        /** One character, escaped for brics: a backslash makes any character literal. */
        private static String lit(char c) {
            return "\\" + c;
        }
    }
}
