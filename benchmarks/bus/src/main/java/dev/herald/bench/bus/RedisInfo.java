package dev.herald.bench.bus;

import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;

/** INFO and FLUSHALL over a bare {@link Resp} connection, so measuring does not go through Redisson. */
final class RedisInfo implements AutoCloseable {

    private final Resp resp;

    RedisInfo(int port) throws IOException {
        resp = new Resp(port);
    }

    /** One command; the reply as text (a status, an integer or a bulk string), null for a null reply. */
    String command(String... args) throws IOException {
        Object reply = resp.call(args);
        return reply == null ? null : reply.toString();
    }

    /** Calls per command since the server started (INFO commandstats). */
    Map<String, Long> commandCalls() throws IOException {
        Map<String, Long> calls = new TreeMap<>();
        for (String line : command("INFO", "commandstats").split("\r?\n")) {
            if (line.startsWith("cmdstat_")) {
                String name = line.substring(8, line.indexOf(':'));
                int i = line.indexOf("calls=") + 6;
                int j = line.indexOf(',', i);
                calls.put(name, Long.parseLong(line.substring(i, j)));
            }
        }
        return calls;
    }

    String field(String section, String name) throws IOException {
        for (String line : command("INFO", section).split("\r?\n")) {
            if (line.startsWith(name + ":")) {
                return line.substring(name.length() + 1).trim();
            }
        }
        return null;
    }

    @Override
    public void close() {
        resp.close();
    }
}
