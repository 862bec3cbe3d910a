package dev.herald.compat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Extracts the registry folder as it is at a git ref into a temporary folder, using the {@code git}
 * command (no work-tree or index change; works in a shallow clone as long as the ref's commit is
 * there). A missing ref is reported with the exact {@code git fetch} command that brings it.
 */
public final class GitBaseline {

    /** The registry at the ref, written under {@code into}, and how to print its paths. */
    public record Extracted(Path folder, String displayPrefix, String label) {
    }

    private GitBaseline() {
    }

    /**
     * @return empty when the ref has no registry folder yet (the first change that adds it)
     * @throws CompatException when git is missing, the folder is not in a git repository, or the ref is unknown
     */
    public static Optional<Extracted> extract(Path schemasDir, String ref, Path into) {
        Path dir = schemasDir.toAbsolutePath().normalize();
        Path gitDir = Files.isDirectory(dir) ? dir : dir.getParent();
        Result top = run(gitDir, null, "git", "rev-parse", "--show-toplevel");
        if (top.code != 0) {
            throw new CompatException(schemasDir + " is not inside a git repository, so --against git:" + ref
                    + " cannot be used (" + top.err().strip() + "). Use --against DIR with a copy of the baseline registry instead.");
        }
        Path toplevel = Path.of(top.out().strip());
        String prefix;
        try {
            prefix = toplevel.toRealPath().relativize(dir.toRealPath()).toString().replace('\\', '/');
        } catch (IOException e) {
            throw new CompatException("cannot read " + schemasDir + ": " + e.getMessage(), e);
        }
        Result verify = run(toplevel, null, "git", "rev-parse", "--verify", "--quiet", ref + "^{commit}");
        if (verify.code != 0) {
            throw new CompatException("git ref '" + ref + "' is not available in this clone"
                    + (isShallow(toplevel) ? " (it is a shallow clone)" : "") + ". Fetch it first:\n  "
                    + fetchCommand(toplevel, ref) + "\nthen run the check again.");
        }
        String commit = verify.out().strip();
        Result tree = run(toplevel, null, "git", "ls-tree", "-r", "-z", "--full-tree", commit, "--", prefix.isEmpty() ? "." : prefix);
        if (tree.code != 0) {
            throw new CompatException("git ls-tree failed for " + ref + ": " + tree.err().strip());
        }
        List<String[]> blobs = new ArrayList<>();
        for (String entry : tree.out().split("\0")) {
            if (entry.isEmpty()) {
                continue;
            }
            int tab = entry.indexOf('\t');
            String[] meta = entry.substring(0, tab).split(" ");
            if (meta[1].equals("blob")) {
                blobs.add(new String[] {meta[2], entry.substring(tab + 1)});
            }
        }
        if (blobs.isEmpty()) {
            return Optional.empty();
        }
        StringBuilder request = new StringBuilder();
        for (String[] b : blobs) {
            request.append(b[0]).append('\n');
        }
        Result cat = run(toplevel, request.toString().getBytes(StandardCharsets.UTF_8), "git", "cat-file", "--batch");
        if (cat.code != 0) {
            throw new CompatException("git cat-file failed for " + ref + ": " + cat.err().strip());
        }
        byte[] data = cat.bytes;
        int pos = 0;
        try {
            for (String[] b : blobs) {
                int nl = indexOf(data, (byte) '\n', pos);
                String header = new String(data, pos, nl - pos, StandardCharsets.UTF_8);
                String[] h = header.split(" ");
                if (h.length < 3) {
                    throw new CompatException("unexpected output from git cat-file: " + header);
                }
                int size = Integer.parseInt(h[2]);
                String rel = prefix.isEmpty() ? b[1] : b[1].substring(prefix.length() + 1);
                Path target = into.resolve(rel).normalize();
                if (!target.startsWith(into)) {
                    throw new CompatException("refusing to write outside the baseline folder: " + b[1]);
                }
                Files.createDirectories(target.getParent());
                Files.write(target, java.util.Arrays.copyOfRange(data, nl + 1, nl + 1 + size));
                pos = nl + 1 + size + 1;
            }
        } catch (IOException e) {
            throw new CompatException("cannot write the baseline registry to " + into + ": " + e.getMessage(), e);
        }
        String display = ref + ":" + (prefix.isEmpty() ? "" : prefix + "/");
        return Optional.of(new Extracted(into, display, "git:" + ref + " (" + commit.substring(0, Math.min(12, commit.length())) + ")"));
    }

    private static boolean isShallow(Path repo) {
        Result r = run(repo, null, "git", "rev-parse", "--is-shallow-repository");
        return r.code == 0 && r.out().strip().equals("true");
    }

    /** The command that makes {@code ref} available: a remote-tracking branch is fetched from its remote. */
    static String fetchCommand(Path repo, String ref) {
        Result remotes = run(repo, null, "git", "remote");
        String name = ref.startsWith("refs/remotes/") ? ref.substring("refs/remotes/".length()) : ref;
        String remote = null;
        if (remotes.code == 0) {
            for (String r : remotes.out().split("\n")) {
                r = r.strip();
                if (!r.isEmpty() && name.startsWith(r + "/")) {
                    remote = r;
                }
            }
        }
        if (remote == null && name.contains("/") && !name.startsWith("refs/")) {
            remote = name.substring(0, name.indexOf('/')); // origin/main: the remote is "origin"
        }
        if (remote != null) {
            String branch = name.substring(remote.length() + 1);
            return "git fetch --no-tags --depth=1 " + remote + " +refs/heads/" + branch + ":refs/remotes/" + remote + "/" + branch;
        }
        return "git fetch --no-tags --depth=1 origin " + ref;
    }

    private static int indexOf(byte[] data, byte b, int from) {
        for (int i = from; i < data.length; i++) {
            if (data[i] == b) {
                return i;
            }
        }
        throw new CompatException("truncated output from git cat-file");
    }

    private record Result(int code, byte[] bytes, String err) {
        String out() {
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    private static Result run(Path dir, byte[] input, String... command) {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
        pb.environment().put("GIT_TERMINAL_PROMPT", "0");
        pb.environment().put("LC_ALL", "C");
        try {
            Process p = pb.start();
            CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
            CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
            try (OutputStream in = p.getOutputStream()) {
                if (input != null) {
                    in.write(input);
                }
            }
            int code = p.waitFor();
            return new Result(code, out.join(), new String(err.join(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new CompatException("cannot run git (" + e.getMessage() + "); install git or use --against DIR", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CompatException("interrupted while running git", e);
        }
    }

    private static byte[] readAll(InputStream in) {
        try (in) {
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            in.transferTo(buf);
            return buf.toByteArray();
        } catch (IOException e) {
            return new byte[0];
        }
    }
}
