package dev.herald.broker;

import dev.herald.runtime.Catalog;
import dev.herald.runtime.RedisKeys;
import dev.herald.schema.EventPattern;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The Redis ACL users (Redis 7 or newer: selectors) that express the registry's rules with the
 * topic layout: a service user may append only to the topics of the events it owns, read and
 * acknowledge only the topics of the events it listens to, use its own service keys and no other
 * service's, and write only its own registration; a broker user may use everything of the
 * namespace. Printed by {@code BrokerMain --print-acl}, tested by {@code AclTest}.
 *
 * <p>What an ACL cannot express: which consumer group a command names. So a service user may not
 * list a topic's groups, and each service names its group with a secret of its own
 * ({@code Messenger.Builder.groupSecret}): another service listening to the same type cannot name
 * it, and so cannot read or acknowledge as it (see docs/security.md).
 */
public final class AclRecipe {

    /** Keyless commands every client needs (Redisson's connection set-up, the eviction check, cluster topology). */
    private static final String CONNECTION = "+ping +echo +hello +auth +select +client|setname +client|getname +client|id"
            + " +info +readonly +cluster|slots +cluster|shards +cluster|nodes +multi +exec +discard +eval +evalsha +eval_ro +evalsha_ro +script|load";
    /** What a consumer does on a stream it reads as a member of its group, naming the group. */
    private static final String CONSUME = "+xreadgroup +xack +xclaim +xautoclaim +xpending +xgroup|create +xgroup|createconsumer +exists";

    private final Catalog catalog;
    private final RedisKeys keys;

    public AclRecipe(Catalog catalog, RedisKeys keys) {
        this.catalog = catalog;
        this.keys = keys;
    }

    /**
     * The {@code ACL SETUSER} arguments (after the user name) for {@code service}, listening to
     * {@code listensTo} (patterns, expanded over the catalog: a type added later needs the user
     * updated), with {@code password}.
     */
    public List<String> service(String service, List<String> listensTo, String password) {
        Set<String> listened = new TreeSet<>();
        Set<String> owned = new TreeSet<>();
        for (Catalog.EventInfo e : catalog.events()) {
            if (listensTo.stream().anyMatch(p -> EventPattern.matches(p, e.name()))) {
                listened.add(e.name());
            }
            if (service.equals(e.owner())) {
                owned.add(e.name());
            }
        }
        List<String> rules = new ArrayList<>(List.of("reset", "on", ">" + password, "resetchannels", "&" + keys.broadcastChannel()));
        words(rules, CONNECTION + " +publish +subscribe +unsubscribe");
        // root: read and acknowledge the topics it listens to
        listened.forEach(t -> rules.add("~" + keys.topic(t)));
        words(rules, CONSUME);
        // its own stream, retries, dead letters, results, instances
        rules.add(selector(List.of(keys.serviceKeysPattern(service)), CONSUME
                + " +xinfo|groups +xadd +xtrim +xlen +xrange +xrevrange +xdel +zadd +zrem +zrangebyscore +zcard +hset +hmset +hget +hgetall +hdel"
                + " +hlen +pexpire +expire +del +evalsha +eval"));
        if (!owned.isEmpty()) {
            rules.add(selector(owned.stream().map(keys::topic).toList(), "+xadd"));
        }
        rules.add(selector(List.of(keys.registrations(service), keys.registrySeen(service)), "+hset +hget +hexists +hdel +hgetall"));
        rules.add(selector(List.of(keys.registryIndex(), keys.topics()), "+sadd +smembers"));
        rules.add(selector(List.of(keys.registryVersion()), "+set +get"));
        // the heartbeat script declares its four keys: allowed as a whole, each command inside as above
        rules.add(selector(List.of(keys.registrations(service), keys.registrySeen(service), keys.registryVersion(), keys.registryIndex()),
                "+eval +evalsha"));
        return rules;
    }

    /** The {@code ACL SETUSER} arguments for a broker of the namespace. */
    public List<String> broker(String password) {
        String ns = keys.namespace();
        List<String> rules = new ArrayList<>(List.of("reset", "on", ">" + password, "resetchannels", "&" + ns + ":*", "~" + ns + ":*",
                "+@all", "-@dangerous"));
        words(rules, CONNECTION);
        return rules;
    }

    /** One line to paste into {@code redis-cli} (arguments with braces or spaces quoted). */
    public static String line(String user, List<String> rules) {
        StringBuilder b = new StringBuilder("ACL SETUSER ").append(user);
        for (String r : rules) {
            b.append(' ').append(r.contains(" ") || r.contains("{") ? "\"" + r + "\"" : r);
        }
        return b.toString();
    }

    private static String selector(List<String> keyPatterns, String commands) {
        StringBuilder b = new StringBuilder("(");
        for (String k : keyPatterns) {
            b.append('~').append(k).append(' ');
        }
        return b.append(commands).append(')').toString();
    }

    private static void words(List<String> rules, String commands) {
        for (String w : commands.split(" ")) {
            rules.add(w);
        }
    }
}
