package dev.herald.compat.diff;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.compat.Rule;
import dev.herald.schema.Names;
import java.util.Set;

/**
 * The simple name the generator gives an object or enum: a types/ file is named after the file,
 * anything else after its title, else after the last step of its pointer (the property or $defs
 * entry). Looked at even when the JSON is equal: the same content under another name is another class.
 */
final class ClassNameUnit implements KeywordUnit {

    private static final Set<Rule> RULES = Set.of(Rule.JAVA_CLASS_RENAMED);

    private static final Set<String> KEYWORDS = Set.of();

    @Override
    public Set<String> keywords() {
        return KEYWORDS;
    }

    @Override
    public Set<Rule> rules() {
        return RULES;
    }

    @Override
    public boolean comparesEqualSchemas() {
        return true;
    }

    @Override
    public void compare(SchemaNode o, SchemaNode n, Scope s) {
        if (s.path().isEmpty()) {
            return; // the event's class name comes from the event name, not from the title
        }
        String a = className(o);
        String b = className(n);
        if (a != null && b != null && !a.equals(b)) {
            s.change(Rule.JAVA_CLASS_RENAMED, s.path()).between(o.at("title"), n.at("title")).values(a, b)
                    .breaks(Breaks.NONE, "the generated class changes from " + a + " to " + b);
        }
    }

    private static String className(SchemaNode s) {
        Set<String> types = Schemas.types(s.json());
        boolean named = types != null && types.contains("object") && s.has("properties") || s.has("enum");
        if (!named) {
            return null;
        }
        String rel = s.source().relativePath();
        if (s.pointer().isEmpty()) {
            if (!rel.startsWith("types/")) {
                return null;
            }
            String stem = rel.substring("types/".length(), rel.length() - (rel.endsWith(".json") ? 5 : 0));
            return Names.javaTypeName(stem);
        }
        JsonNode title = s.json().get("title");
        if (title != null && title.isTextual()) {
            return Names.javaTypeName(title.asText());
        }
        String last = s.pointer().substring(s.pointer().lastIndexOf('/') + 1).replace("~1", "/").replace("~0", "~");
        return last.chars().allMatch(Character::isDigit) ? null : Names.javaTypeName(last);
    }
}
