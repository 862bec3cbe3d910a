package dev.herald.compat.diff;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** Shared by the units that read unevaluatedItems and unevaluatedProperties. */
final class Unevaluated {

    private Unevaluated() {
    }

    /**
     * Whether anything beside {@code keyword} differs between the two schemas (through references
     * too): where applicators evaluate items or names, any such change may move what the keyword
     * decides.
     */
    static boolean neighboursChanged(SchemaNode o, SchemaNode n, Scope s, String keyword) {
        ObjectNode a = ((ObjectNode) o.json()).deepCopy();
        ObjectNode b = ((ObjectNode) n.json()).deepCopy();
        a.remove(keyword);
        b.remove(keyword);
        return s.trial(o.synthetic(a), n.synthetic(b), s.path()) != Breaks.NONE;
    }
}
