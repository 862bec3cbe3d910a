package dev.herald.compat.diff;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.compat.Json;
import dev.herald.compat.Policy;
import dev.herald.compat.Rule;
import dev.herald.schema.Names;
import dev.herald.schema.Vocabulary;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code enum} and {@code const}: values removed narrow, values added widen (tolerated by the
 * generated enums' UNKNOWN under the robust policy); a replaced value renames a Java constant.
 */
final class EnumUnit implements KeywordUnit {

    private static final Set<Rule> RULES = Set.of(Rule.ENUM_ADDED, Rule.ENUM_REMOVED, Rule.ENUM_VALUE_ADDED, Rule.ENUM_VALUE_REMOVED, Rule.ENUM_CONSTANT_RENAMED);

    private static final Set<String> KEYWORDS = Set.of("enum", "const");

    @Override
    public Set<String> keywords() {
        return KEYWORDS;
    }

    @Override
    public Set<Rule> rules() {
        return RULES;
    }

    @Override
    public void compare(SchemaNode o, SchemaNode n, Scope s) {
        List<JsonNode> ov = Schemas.values(o.json());
        List<JsonNode> nv = Schemas.values(n.json());
        if (ov == null && nv == null) {
            return;
        }
        SchemaNode oa = valuesNode(o);
        SchemaNode na = valuesNode(n);
        String p = s.path(n.has("const") && !n.has("enum") ? "const" : "enum");
        if (ov == null) {
            String values = Json.brief(Schemas.F.arrayNode().addAll(nv));
            s.change(Rule.ENUM_ADDED, p).between(oa, na).values("(any value)", values).breaks(Breaks.BACKWARD, "values are now restricted to " + values);
            return;
        }
        if (nv == null) {
            s.change(Rule.ENUM_REMOVED, p).between(oa, na).values(Json.brief(Schemas.F.arrayNode().addAll(ov)), "(any value)")
                    .breaks(Breaks.FORWARD, "values are no longer restricted");
            return;
        }
        for (JsonNode v : ov) {
            if (!Schemas.containsValue(nv, v)) {
                s.change(Rule.ENUM_VALUE_REMOVED, p).between(oa, na).values(Json.brief(v), "(absent)")
                        .breaks(Breaks.BACKWARD, "value " + Json.brief(v) + " was removed");
            }
        }
        boolean generatedEnum = o.has("enum") && n.has("enum") && allText(ov) && allText(nv);
        boolean tolerated = s.policy() == Policy.ROBUST && generatedEnum;
        for (JsonNode v : nv) {
            if (!Schemas.containsValue(ov, v)) {
                s.change(Rule.ENUM_VALUE_ADDED, p).between(oa, na).values("(absent)", Json.brief(v)).advisory(tolerated)
                        .breaks(tolerated ? Breaks.NONE : Breaks.FORWARD,
                                "value " + Json.brief(v) + " was added" + (tolerated ? "; readers on the old SDK read it as UNKNOWN" : ""));
            }
        }
        if (generatedEnum) {
            List<JsonNode> gone = ov.stream().filter(v -> !Schemas.containsValue(nv, v)).toList();
            List<JsonNode> come = nv.stream().filter(v -> !Schemas.containsValue(ov, v)).toList();
            if (gone.size() == 1 && come.size() == 1) {
                String a = Names.constantName(gone.get(0).asText());
                String b = Names.constantName(come.get(0).asText());
                s.change(Rule.ENUM_CONSTANT_RENAMED, p).between(oa, na).values(a, b).breaks(Breaks.NONE,
                        "value " + Json.brief(gone.get(0)) + " became " + Json.brief(come.get(0)) + ": the Java constant " + a + " becomes " + b);
            }
            Map<String, String> on = varnames(o.json());
            Map<String, String> nn = varnames(n.json());
            for (Map.Entry<String, String> e : on.entrySet()) {
                String now = nn.get(e.getKey());
                if (now != null && !now.equals(e.getValue())) {
                    s.change(Rule.ENUM_CONSTANT_RENAMED, p).between(oa, na).values(e.getValue(), now).breaks(Breaks.NONE,
                            "the Java constant for value \"" + e.getKey() + "\" changes from " + e.getValue() + " to " + now);
                }
            }
        }
    }

    private static SchemaNode valuesNode(SchemaNode s) {
        return s.has("enum") ? s.at("enum") : s.at("const");
    }

    private static Map<String, String> varnames(JsonNode s) {
        Map<String, String> map = new LinkedHashMap<>();
        JsonNode names = s.get(Vocabulary.X_ENUM_VARNAMES);
        JsonNode e = s.get("enum");
        if (names != null && names.isArray() && e != null) {
            for (int i = 0; i < Math.min(names.size(), e.size()); i++) {
                map.put(e.get(i).asText(), names.get(i).asText());
            }
        }
        return map;
    }

    private static boolean allText(List<JsonNode> list) {
        return list.stream().allMatch(JsonNode::isTextual);
    }
}
