package dev.herald.compat.diff;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.compat.Json;
import dev.herald.compat.Rule;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * allOf, anyOf, oneOf: branches are matched (identical, then same keywords, then by position)
 * and compared; an unmatched branch narrows or widens by the keyword's meaning. anyOf and oneOf
 * are the same when no two branches share a value, so switching between them is then no change.
 */
final class CompositionUnit implements KeywordUnit {

    private static final Set<Rule> RULES = Set.of(Rule.COMPOSITION_CHANGED, Rule.COMPOSITION_BRANCH_ADDED, Rule.COMPOSITION_BRANCH_REMOVED);

    private static final Set<String> KEYWORDS = Set.of("allOf", "anyOf", "oneOf");

    private static final List<String> KINDS = List.of("allOf", "anyOf", "oneOf");

    @Override
    public Set<String> keywords() {
        return KEYWORDS;
    }

    @Override
    public Set<Rule> rules() {
        return RULES;
    }

    private static List<String> kinds(JsonNode s) {
        List<String> list = new ArrayList<>();
        for (String k : KINDS) {
            if (s.has(k) && s.get(k).isArray()) {
                list.add(k);
            }
        }
        return list;
    }

    /** Narrowing, widening or both when composition kind a becomes b. */
    private static Breaks kindChange(String a, String b) {
        if (a.equals("allOf")) {
            return b.equals("anyOf") ? Breaks.FORWARD : Breaks.BOTH;
        }
        if (a.equals("anyOf")) {
            return Breaks.BACKWARD;
        }
        return b.equals("anyOf") ? Breaks.FORWARD : Breaks.BOTH; // oneOf
    }

    @Override
    public void compare(SchemaNode o, SchemaNode n, Scope s) {
        List<String> ok = kinds(o.json());
        List<String> nk = kinds(n.json());
        if (ok.isEmpty() && nk.isEmpty()) {
            return;
        }
        if (ok.size() == 1 && nk.size() == 1 && !ok.get(0).equals(nk.get(0))) {
            String a = ok.get(0);
            String b = nk.get(0);
            boolean union = !a.equals("allOf") && !b.equals("allOf");
            if (!(union && disjoint(branches(o, a)) && disjoint(branches(n, b)))) {
                s.change(Rule.COMPOSITION_CHANGED, s.path(b)).between(o.at(a), n.at(b)).values(a, b).breaks(kindChange(a, b), a + " became " + b);
            }
            compareBranches(branches(o, a), branches(n, b), a, b, s.path(b), s, o, n);
            return;
        }
        for (String k : KINDS) {
            boolean inO = ok.contains(k);
            boolean inN = nk.contains(k);
            if (inO && inN) {
                compareBranches(branches(o, k), branches(n, k), k, k, s.path(k), s, o, n);
            } else if (inN) {
                s.change(Rule.COMPOSITION_CHANGED, s.path(k)).between(o, n.at(k)).values("(none)", Json.brief(n.json().get(k)))
                        .breaks(Breaks.BACKWARD, k + " was added");
            } else if (inO) {
                s.change(Rule.COMPOSITION_CHANGED, s.path(k)).between(o.at(k), n).values(Json.brief(o.json().get(k)), "(none)")
                        .breaks(Breaks.FORWARD, k + " was removed");
            }
        }
    }

    private static List<SchemaNode> branches(SchemaNode s, String kind) {
        SchemaNode k = s.child(kind);
        List<SchemaNode> list = new ArrayList<>();
        for (int i = 0; i < k.json().size(); i++) {
            list.add(k.child(i));
        }
        return list;
    }

    /** Removed branches count with the old keyword's meaning, added ones with the new keyword's. */
    private static void compareBranches(List<SchemaNode> ob, List<SchemaNode> nb, String oldKind, String kind, String path, Scope s,
                                        SchemaNode o, SchemaNode n) {
        int[] match = new int[ob.size()];
        Arrays.fill(match, -1);
        boolean[] used = new boolean[nb.size()];
        // 1. identical branches, 2. same keywords, 3. by position among the rest
        for (int pass = 0; pass < 3; pass++) {
            for (int i = 0; i < ob.size(); i++) {
                if (match[i] >= 0) {
                    continue;
                }
                for (int j = 0; j < nb.size(); j++) {
                    if (used[j]) {
                        continue;
                    }
                    boolean ok = pass == 0 ? Schemas.shape(ob.get(i).json()).equals(Schemas.shape(nb.get(j).json()))
                            : pass != 1 || Schemas.keywords(ob.get(i).json()).equals(Schemas.keywords(nb.get(j).json()));
                    if (ok) {
                        match[i] = j;
                        used[j] = true;
                        break;
                    }
                }
            }
        }
        boolean intersection = kind.equals("allOf");
        boolean oldIntersection = oldKind.equals("allOf");
        boolean exclusive = kind.equals("oneOf") && oldKind.equals("oneOf");
        for (int i = 0; i < ob.size(); i++) {
            String at = path + "/" + (match[i] >= 0 ? match[i] : i);
            if (match[i] >= 0) {
                SchemaNode oi = ob.get(i);
                SchemaNode ni = nb.get(match[i]);
                if (intersection) {
                    imply(o, n, at, s);
                }
                if (exclusive) {
                    // oneOf: a branch that now accepts more (or less) may start (or stop) overlapping a
                    // sibling, and data that matched exactly one branch then matches two (or the reverse)
                    Breaks fl = s.trial(oi, ni, at);
                    int other = overlapping(nb, match[i]);
                    int otherOld = overlapping(ob, i);
                    if (fl != Breaks.NONE && (other >= 0 || otherOld >= 0)) {
                        s.change(Rule.COMPOSITION_CHANGED, at).between(oi, ni).values(Json.brief(oi.json()), Json.brief(ni.json()))
                                .breaks(Breaks.BOTH, "oneOf branch " + match[i] + " changed and may overlap branch " + (other >= 0 ? other : otherOld)
                                        + ": a value that matched exactly one branch can match two, which oneOf rejects");
                    }
                }
                s.compare(oi, ni, at, Rule.COMPOSITION_BRANCH_ADDED, Rule.COMPOSITION_BRANCH_REMOVED);
            } else {
                boolean overlap = exclusive && overlapping(ob, i) >= 0;
                s.change(Rule.COMPOSITION_BRANCH_REMOVED, at).between(ob.get(i), n).values(Json.brief(ob.get(i).json()), "(absent)")
                        .breaks(Breaks.of(!oldIntersection, oldIntersection || overlap), oldKind + " branch " + Json.brief(ob.get(i).json()) + " was removed"
                                + (overlap ? " (it may overlap another branch, so values matching two branches become valid)" : ""));
            }
        }
        for (int j = 0; j < nb.size(); j++) {
            if (!used[j]) {
                boolean overlap = exclusive && overlapping(nb, j) >= 0;
                s.change(Rule.COMPOSITION_BRANCH_ADDED, path + "/" + j).between(o, nb.get(j)).values("(absent)", Json.brief(nb.get(j).json()))
                        .breaks(Breaks.of(intersection || overlap, !intersection), kind + " branch " + Json.brief(nb.get(j).json()) + " was added"
                                + (overlap ? " and may overlap another branch: a value matching both is rejected by oneOf" : ""));
            }
        }
    }

    /** Whether no two branches may share a value. */
    private static boolean disjoint(List<SchemaNode> branches) {
        for (int i = 0; i < branches.size(); i++) {
            if (overlapping(branches, i) >= 0) {
                return false;
            }
        }
        return true;
    }

    /** The index of a branch that branch k may share values with, or -1 when it is disjoint from all. */
    private static int overlapping(List<SchemaNode> branches, int k) {
        for (int i = 0; i < branches.size(); i++) {
            if (i != k && mayOverlap(Dialects.view(SchemaDiff.deref(branches.get(k))), Dialects.view(SchemaDiff.deref(branches.get(i))))) {
                return i;
            }
        }
        return -1;
    }

    /** False only when two schemas provably share no value: disjoint types, disjoint enums, or different required consts. */
    private static boolean mayOverlap(SchemaNode an, SchemaNode bn) {
        JsonNode a = an.json();
        JsonNode b = bn.json();
        if (Schemas.isFalse(a) || Schemas.isFalse(b)) {
            return false;
        }
        if (!a.isObject() || !b.isObject()) {
            return true;
        }
        Set<String> ta = Schemas.types(a);
        Set<String> tb = Schemas.types(b);
        if (ta != null && tb != null && ta.stream().noneMatch(t -> Schemas.may(tb, t))) {
            return false;
        }
        List<JsonNode> va = Schemas.values(a);
        List<JsonNode> vb = Schemas.values(b);
        if (va != null && vb != null && va.stream().noneMatch(v -> Schemas.containsValue(vb, v))) {
            return false;
        }
        if (!onlyObjects(ta) || !onlyObjects(tb)) {
            return true; // properties and required say nothing about a value that is not an object
        }
        JsonNode pa = a.path("properties");
        JsonNode pb = b.path("properties");
        Set<String> ra = Schemas.stringSet(a, "required");
        Set<String> rb = Schemas.stringSet(b, "required");
        for (Iterator<String> it = pa.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (pb.has(name) && ra.contains(name) && rb.contains(name)) {
                // read by the branch's draft (draft 4 has no const)
                List<JsonNode> xa = Schemas.values(Dialects.view(an.child("properties").child(name)).json());
                List<JsonNode> xb = Schemas.values(Dialects.view(bn.child("properties").child(name)).json());
                if (xa != null && xb != null && xa.stream().noneMatch(v -> Schemas.containsValue(xb, v))) {
                    return false; // a discriminator: {"kind": {"const": "card"}} vs {"kind": {"const": "iban"}}
                }
            }
        }
        return true;
    }

    private static boolean onlyObjects(Set<String> types) {
        return types != null && !types.isEmpty() && types.stream().allMatch("object"::equals);
    }

    /** Records the property types o and n both impose, for the branch at branchPath. */
    static void imply(SchemaNode o, SchemaNode n, String branchPath, Scope s) {
        JsonNode op = o.json().path("properties");
        JsonNode np = n.json().path("properties");
        for (Iterator<String> it = op.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (np.has(name)) {
                Set<String> a = Schemas.types(op.get(name));
                Set<String> b = Schemas.types(np.get(name));
                if (a != null && a.equals(b)) {
                    s.imply(dev.herald.compat.Pointers.child(branchPath + "/properties", name), a);
                }
            }
        }
    }
}
