package dev.herald.compat.diff;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.compat.Json;
import dev.herald.compat.Rule;
import java.math.BigDecimal;
import java.util.Objects;

/** The three shapes most keyword rules take: a lower count, an upper count, a value that must stay equal. */
final class Bounds {

    private Bounds() {
    }

    /** A lower bound on a count (minLength, minItems, minProperties: absent is 0; minContains: absent is 1). */
    static void lower(SchemaNode o, SchemaNode n, Scope s, String k, BigDecimal absent, Rule raised, Rule lowered) {
        JsonNode ov = o.json().get(k);
        JsonNode nv = n.json().get(k);
        BigDecimal a = ov != null && ov.isNumber() ? ov.decimalValue() : absent;
        BigDecimal b = nv != null && nv.isNumber() ? nv.decimalValue() : absent;
        int c = b.compareTo(a);
        String os = ov == null ? "(none)" : ov.asText();
        String ns = nv == null ? "(none)" : nv.asText();
        if (c > 0) {
            s.change(raised, s.path(k)).between(o.at(k), n.at(k)).values(os, ns).breaks(Breaks.BACKWARD, k + " raised from " + os + " to " + ns);
        } else if (c < 0) {
            s.change(lowered, s.path(k)).between(o.at(k), n.at(k)).values(os, ns).breaks(Breaks.FORWARD, k + " lowered from " + os + " to " + ns);
        }
    }

    /** An upper bound on a count (maxLength, maxItems, maxProperties, maxContains); absent is unbounded. */
    static void upper(SchemaNode o, SchemaNode n, Scope s, String k, Rule lowered, Rule raised) {
        JsonNode ov = o.json().get(k);
        JsonNode nv = n.json().get(k);
        BigDecimal a = ov != null && ov.isNumber() ? ov.decimalValue() : null;
        BigDecimal b = nv != null && nv.isNumber() ? nv.decimalValue() : null;
        int c = a == null && b == null ? 0 : a == null ? -1 : b == null ? 1 : b.compareTo(a);
        String os = ov == null ? "(none)" : ov.asText();
        String ns = nv == null ? "(none)" : nv.asText();
        if (c < 0) {
            s.change(lowered, s.path(k)).between(o.at(k), n.at(k)).values(os, ns).breaks(Breaks.BACKWARD, k + " lowered from " + os + " to " + ns);
        } else if (c > 0) {
            s.change(raised, s.path(k)).between(o.at(k), n.at(k)).values(os, ns).breaks(Breaks.FORWARD, k + " raised from " + os + " to " + ns);
        }
    }

    /** A keyword that must stay equal: added narrows, removed widens, changed does both. */
    static void exact(SchemaNode o, SchemaNode n, Scope s, String k, Rule added, Rule removed, Rule changed) {
        JsonNode ov = o.json().get(k);
        JsonNode nv = n.json().get(k);
        if (Objects.equals(ov, nv)) {
            return;
        }
        String p = s.path(k);
        if (ov == null) {
            s.change(added, p).between(o, n.at(k)).values("(none)", Json.brief(nv)).breaks(Breaks.BACKWARD, k + " " + Json.brief(nv) + " was added");
        } else if (nv == null) {
            s.change(removed, p).between(o.at(k), n).values(Json.brief(ov), "(none)").breaks(Breaks.FORWARD, k + " " + Json.brief(ov) + " was removed");
        } else {
            s.change(changed, p).between(o.at(k), n.at(k)).values(Json.brief(ov), Json.brief(nv))
                    .breaks(Breaks.BOTH, k + " changed from " + Json.brief(ov) + " to " + Json.brief(nv));
        }
    }

    /**
     * A keyword whose value is a subschema that constrains only when present (contains,
     * propertyNames, then, else): compared when in both, reported as added or removed otherwise.
     */
    static void optionalSubschema(SchemaNode o, SchemaNode n, Scope s, String k, String what) {
        SchemaNode oc = o.child(k);
        SchemaNode nc = n.child(k);
        if (oc != null && nc != null) {
            s.compare(oc, nc, s.path(k), Rule.CONSTRAINT_ADDED, Rule.CONSTRAINT_REMOVED);
        } else if (oc == null && nc != null) {
            s.change(Rule.CONSTRAINT_ADDED, s.path(k)).between(o, nc).values("(none)", Json.brief(nc.json())).breaks(Breaks.BACKWARD, what + " was added");
        } else if (oc != null) {
            s.change(Rule.CONSTRAINT_REMOVED, s.path(k)).between(oc, n).values(Json.brief(oc.json()), "(none)").breaks(Breaks.FORWARD, what + " was removed");
        }
    }
}
