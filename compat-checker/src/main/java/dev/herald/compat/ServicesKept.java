package dev.herald.compat;

import java.util.Iterator;
import java.util.Set;

/** A service of the baseline's registry.json is still declared: its events and listeners keep their owner. */
final class ServicesKept implements BaselineRule {

    @Override
    public Set<Rule> rules() {
        return Set.of(Rule.SERVICE_REMOVED);
    }

    @Override
    public void check(Published p) {
        p.baseRegistry().ifPresent(base -> {
            for (Iterator<String> it = base.root().path("services").fieldNames(); it.hasNext(); ) {
                String name = it.next();
                if (p.current.service(name).isEmpty()) {
                    p.report(Rule.SERVICE_REMOVED, "registry.json")
                            .at(p.sources.source(p.current.registryDocument()).locate("/services"),
                                    p.baseSources.source(base).locate("/services/" + Pointers.escape(name)))
                            .path("/services/" + Pointers.escape(name)).values(name, "(absent)")
                            .says("service '" + name + "' was removed from registry.json");
                }
            }
        });
    }
}
