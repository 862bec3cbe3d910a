package dev.herald.compat;

import dev.herald.schema.EventDef;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;

/** Every published event and version file is still there: data written with it stays readable. */
final class PublishedEventsKept implements BaselineRule {

    @Override
    public Set<Rule> rules() {
        return Set.of(Rule.EVENT_REMOVED, Rule.VERSION_REMOVED);
    }

    @Override
    public void check(Published p) {
        for (Map.Entry<String, SortedMap<Integer, String>> e : p.versions().entrySet()) {
            String event = e.getKey();
            Optional<EventDef> now = p.current.event(event);
            if (now.isEmpty()) {
                String rel = "events/" + event + "/";
                p.report(Rule.EVENT_REMOVED, rel)
                        .at(new Location(p.root + rel, 0, 0, ""), new Location(p.tree.displayPrefix() + e.getValue().get(e.getValue().lastKey()), 1, 1, ""))
                        .values(event, "(absent)")
                        .says("event '" + event + "' (v" + e.getValue().firstKey() + "..v" + e.getValue().lastKey() + ") was deleted");
                continue;
            }
            for (Map.Entry<Integer, String> v : e.getValue().entrySet()) {
                if (now.get().version(v.getKey()).isEmpty()) {
                    String rel = v.getValue();
                    p.report(Rule.VERSION_REMOVED, rel)
                            .at(new Location(p.root + rel, 0, 0, ""), new Location(p.tree.displayPrefix() + rel, 1, 1, ""))
                            .values(rel, "(absent)").says(event + " v" + v.getKey() + " was deleted");
                }
            }
        }
    }
}
