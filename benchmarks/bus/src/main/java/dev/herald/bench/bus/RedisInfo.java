package dev.herald.bench.bus;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/** A minimal RESP client for INFO and FLUSHALL, so measuring does not go through Redisson. */
final class RedisInfo implements AutoCloseable {

    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;

    RedisInfo(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        out = socket.getOutputStream();
        in = new BufferedInputStream(socket.getInputStream());
    }

    String command(String... args) throws IOException {
        StringBuilder b = new StringBuilder("*").append(args.length).append("\r\n");
        for (String a : args) {
            b.append('$').append(a.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(a).append("\r\n");
        }
        out.write(b.toString().getBytes(StandardCharsets.UTF_8));
        out.flush();
        return readReply();
    }

    private String readReply() throws IOException {
        String line = readLine();
        char t = line.charAt(0);
        if (t == '+' || t == ':') {
            return line.substring(1);
        }
        if (t == '-') {
            throw new IOException(line);
        }
        if (t == '$') {
            int len = Integer.parseInt(line.substring(1));
            if (len < 0) {
                return null;
            }
            byte[] data = in.readNBytes(len + 2);
            return new String(data, 0, len, StandardCharsets.UTF_8);
        }
        throw new IOException("unexpected reply " + line);
    }

    private String readLine() throws IOException {
        StringBuilder b = new StringBuilder();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\r') {
                in.read();
                break;
            }
            b.append((char) c);
        }
        return b.toString();
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
    public void close() throws IOException {
        socket.close();
    }
}
