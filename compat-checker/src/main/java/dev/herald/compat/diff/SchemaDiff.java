package dev.herald.compat.diff;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.compat.Category;
import dev.herald.compat.Change;
import dev.herald.compat.CompatException;
import dev.herald.compat.Json;
import dev.herald.compat.Policy;
import dev.herald.compat.Rule;
import dev.herald.compat.SchemaSource;
import dev.herald.schema.Dialect;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The structural diff of two JSON Schemas in reader/writer terms. Both trees are walked in
 * parallel, {@code $ref}s resolved on each side (so moving a definition into another file with the
 * same content is no change), and each pair of schema objects is handed to every
 * {@link KeywordUnit} of {@link Units#ALL}. Every difference becomes a {@link Change} that says
 * whether it breaks BACKWARD (a reader on the new schema rejects data valid under the old one: the
 * new schema accepts less) or FORWARD (a reader on the old schema rejects data written with the new
 * one: the new schema accepts more), or both.
 *
 * <p>The walker fails closed: a keyword no unit reads (one Herald does not model, or one outside
 * the draft the schema declares) that differs is a change breaking both ways.
 *
 * <p>Not thread-safe; one instance per comparison.
 */
public final class SchemaDiff {

    final Policy policy;
    List<Change> out = new ArrayList<>();
    /** The pairs being compared further up (by node identity and sense), so that recursion through $ref ends. */
    private final Set<Active> active = new HashSet<>();

    /** How deep the comparison is; past {@link #MAX_DEPTH} it stops with a conservative finding instead of overflowing the stack. */
    private int depth;
    private static final int MAX_DEPTH = 150;

    /** A pair of schema nodes in comparison: the same JSON objects with the same sense (inside not or not). */
    private record Active(JsonNode o, JsonNode n, boolean inverted) {
        @Override
        public boolean equals(Object x) {
            return x instanceof Active a && a.o == o && a.n == n && a.inverted == inverted;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(o) * 31 + System.identityHashCode(n) + (inverted ? 1 : 0);
        }
    }
    /**
     * Types that an enclosing schema already imposes on a path inside a then/else/allOf branch
     * (the same in old and new), so that a branch repeating "type" is no narrowing.
     */
    final Map<String, Set<String>> impliedTypes = new HashMap<>();

    private SchemaDiff(Policy policy) {
        this.policy = policy;
    }

    /** All changes from {@code oldSchema} to {@code newSchema}. */
    public static List<Change> diff(SchemaNode oldSchema, SchemaNode newSchema, Policy policy) {
        SchemaDiff d = new SchemaDiff(policy);
        d.compare(oldSchema, newSchema, d.top(""));
        return d.out;
    }

    public static List<Change> diff(SchemaSource oldSchema, SchemaSource newSchema, Policy policy) {
        return diff(SchemaNode.root(oldSchema), SchemaNode.root(newSchema), policy);
    }

    private Scope top(String path) {
        return new Scope(this, path, false, Rule.ITEMS_FORBIDDEN, Rule.ITEMS_ALLOWED, null);
    }

    // ---- the walk ----------------------------------------------------------------------------------

    void compare(SchemaNode o0, SchemaNode n0, Scope s) {
        SchemaNode od = deref(o0);
        SchemaNode nd = deref(n0);
        if (od.json().isObject() && nd.json().isObject()) {
            // before any rewrite: the generator names the class after what is written
            for (KeywordUnit u : Units.ALL) {
                if (u.comparesEqualSchemas()) {
                    u.compare(od, nd, s.forUnit(u));
                }
            }
        }
        SchemaNode os = Equivalences.simplify(od, nd);
        SchemaNode ns = Equivalences.simplify(nd, od);
        SchemaNode o = Equivalences.alignedWith(os, ns);
        SchemaNode n = Equivalences.alignedWith(ns, os);
        Active key = new Active(o.json(), n.json(), s.inverted());
        if (depth >= MAX_DEPTH) {
            // recursion through rewritten (new) nodes that the identity guard cannot recognise: stop, conservatively
            s.change(Rule.CONSTRAINT_CHANGED, s.path()).between(o, n).values("(recursive)", "(recursive)")
                    .breaks(Breaks.BOTH, "the schema recurses through rewritten references Herald cannot follow to the end here");
            return;
        }
        if (!active.add(key)) {
            return; // recursion through $ref: this pair is being compared further up
        }
        depth++;
        try {
            if (o.json().equals(n.json()) && Objects.equals(o.dialect(), n.dialect()) && !dynamic(o.json())
                    && (!Schemas.containsRef(o.json()) || o.source() == n.source() && o.pointer().equals(n.pointer())
                    || o.source().scope() != null && o.source().scope().equals(n.source().scope()) && !Schemas.containsLocalRef(o.json()))) {
                return;
            }
            boolean oFalse = Schemas.isFalse(o.json());
            boolean nFalse = Schemas.isFalse(n.json());
            if (oFalse || nFalse) {
                if (oFalse && !nFalse) {
                    s.change(s.allow, s.path()).between(o, n).values("false", Json.brief(n.json()))
                            .breaks(Breaks.FORWARD, "now accepts values where it accepted none");
                } else if (!oFalse) {
                    s.change(s.forbid, s.path()).between(o, n).values(Json.brief(o.json()), "false")
                            .breaks(Breaks.BACKWARD, "now accepts no value where it accepted some");
                }
                return;
            }
            if (!o.json().isObject() && !o.json().isBoolean() || !n.json().isObject() && !n.json().isBoolean()) {
                if (!o.json().equals(n.json())) {
                    s.change(Rule.CONSTRAINT_CHANGED, s.path()).between(o, n).values(Json.brief(o.json()), Json.brief(n.json()))
                            .breaks(Breaks.BOTH, "the schema is not an object");
                }
                return;
            }
            // units read each schema by its draft: keywords outside it are not there (compareUnmodeled sees them)
            SchemaNode ob = o.json().isBoolean() ? o.synthetic(Schemas.F.objectNode()) : Dialects.view(o);
            SchemaNode nb = n.json().isBoolean() ? n.synthetic(Schemas.F.objectNode()) : Dialects.view(n);
            Set<String> ot = Schemas.types(ob.json());
            Set<String> nt = Schemas.types(nb.json());
            for (KeywordUnit u : Units.ALL) {
                if (!u.comparesEqualSchemas() && u.appliesTo(ot, nt)) {
                    u.compare(ob, nb, s.forUnit(u));
                }
            }
            compareUnmodeled(o.json().isBoolean() ? ob : o, n.json().isBoolean() ? nb : n, s);
        } finally {
            active.remove(key);
            depth--;
        }
    }

    /** The directions all differences between two subschemas break, without reporting them (raw orientation). */
    Breaks trial(SchemaNode o, SchemaNode n, String path) {
        List<Change> saved = out;
        out = new ArrayList<>();
        try {
            compare(o, n, top(path));
            Breaks b = Breaks.NONE;
            for (Change c : out) {
                if (c.rule().category() == Category.WIRE) {
                    b = b.or(Breaks.of(c.breaksBackward(), c.breaksForward()));
                }
            }
            return b;
        } finally {
            out = saved;
        }
    }

    /** Follows {@code $ref}s; from 2019-09 on (and without a declared draft) keywords beside a $ref apply as well. */
    static SchemaNode deref(SchemaNode n) {
        SchemaNode cur = n;
        int hops = 0;
        while (cur.json().isObject() && cur.json().has("$ref") && cur.json().get("$ref").isTextual()) {
            if (++hops > 32) {
                throw new CompatException(cur.source().file() + " (#" + cur.pointer() + "): $ref chain too long or cyclic");
            }
            SchemaSource.Target t = cur.source().resolve(cur.json().get("$ref").asText(), cur.pointer());
            Dialect dialect = cur.dialect();
            if (t.source() != cur.source()) {
                Dialect declared = Dialects.declared(t.source());
                dialect = declared != null ? declared : dialect;
            }
            SchemaNode target = new SchemaNode(t.source(), t.pointer(), t.node(), dialect);
            if (cur.dialect() == null || cur.dialect().refSiblingsApply()) {
                ObjectNode siblings = Schemas.F.objectNode();
                ObjectNode wrapper = Schemas.F.objectNode();
                for (Map.Entry<String, JsonNode> e : cur.json().properties()) {
                    if (e.getKey().equals("$ref")) {
                        continue;
                    }
                    // unevaluated* see what the reference evaluated: they stay beside the allOf, not in a branch
                    boolean besideAll = Schemas.ANNOTATIONS.contains(e.getKey()) || e.getKey().startsWith("unevaluated");
                    (besideAll ? wrapper : siblings).set(e.getKey(), e.getValue());
                }
                if (!siblings.isEmpty() || wrapper.has("unevaluatedProperties") || wrapper.has("unevaluatedItems")) {
                    // 2019-09 on, keywords beside a $ref apply as well: the schema is both, an allOf of
                    // the reference and its neighbours, each resolved where it is written
                    com.fasterxml.jackson.databind.node.ArrayNode all = wrapper.putArray("allOf");
                    all.add(Schemas.F.objectNode().set("$ref", cur.json().get("$ref")));
                    if (!siblings.isEmpty()) {
                        all.add(siblings);
                    }
                    return cur.synthetic(wrapper);
                }
            }
            cur = target;
        }
        return cur;
    }

    /**
     * A keyword no unit reads on a side where it appears, and that differs, is reported as
     * breaking both ways: the gate cannot order what it does not model.
     */
    private void compareUnmodeled(SchemaNode o, SchemaNode n, Scope s) {
        Set<String> keys = new LinkedHashSet<>();
        o.json().fieldNames().forEachRemaining(keys::add);
        n.json().fieldNames().forEachRemaining(keys::add);
        for (String k : keys) {
            if (Schemas.ignored(k)) {
                continue;
            }
            boolean oUnread = o.has(k) && !Units.modeled(k, o);
            boolean nUnread = n.has(k) && !Units.modeled(k, n);
            if (!oUnread && !nUnread) {
                continue;
            }
            JsonNode a = o.json().get(k);
            JsonNode b = n.json().get(k);
            boolean dynamicTarget = DYNAMIC.contains(k) && !o.source().root().equals(n.source().root());
            if (oUnread && nUnread && Objects.equals(a, b) && !dynamicTarget) {
                continue;
            }
            if (oUnread != nUnread && (oUnread ? n.has(k) : o.has(k))) {
                continue; // read on one side only (another draft): the units compared it as absent on the other
            }
            SchemaNode side = oUnread ? o : n;
            String why = DYNAMIC.contains(k) ? "Herald does not follow '" + k + "', and what it may lead to can have changed"
                    : side.dialect() == null && !side.defines(k) ? "'" + k + "' is not a JSON Schema keyword"
                    : !side.defines(k) ? "'" + k + "' is not a keyword of " + side.dialect().label()
                            + ", the draft this schema declares: its validators ignore it and Herald does not read it"
                    : "Herald does not model '" + k + "' here";
            s.change(Rule.CONSTRAINT_CHANGED, s.path(k)).between(o.at(k), n.at(k))
                    .values(a == null ? "(none)" : Json.brief(a), b == null ? "(none)" : Json.brief(b))
                    .breaks(Breaks.BOTH, "keyword '" + k + "' changed; " + why + ", so the change counts as breaking both ways");
        }
    }

    /** References Herald does not follow: a schema using one is never taken as unchanged while its document changed. */
    private static final Set<String> DYNAMIC = Set.of("$dynamicRef", "$recursiveRef");

    private static boolean dynamic(JsonNode j) {
        return Schemas.anyObject(j, o -> o.has("$dynamicRef") || o.has("$recursiveRef"));
    }
}
