package dev.herald.compat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;

/**
 * Reads the registry folder as it is at a git ref with the {@code git} command (no work-tree or
 * index change, no checkout; works in a shallow clone as long as the ref's commit is there). A
 * missing ref is reported with the exact {@code git fetch} command that brings it.
 */
public final class GitBaseline {

    private GitBaseline() {
    }

    /**
     * The registry folder as it is at {@code ref}, read straight from the object database: file
     * names and blob ids come from one {@code git ls-tree}; a file is compared with the work tree by
     * its blob id, and read ({@code git cat-file}) only when the check needs its content.
     *
     * @return empty when the ref has no registry folder yet (the first change that adds it)
     * @throws CompatException when git is missing, the folder is not in a git repository, or the ref is unknown
     */
    public static Optional<BaselineTree> tree(Path schemasDir, String ref) {
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
        Map<String, String> blobs = new TreeMap<>();
        for (String entry : tree.out().split("\0")) {
            if (entry.isEmpty()) {
                continue;
            }
            int tab = entry.indexOf('\t');
            String[] meta = entry.substring(0, tab).split(" ");
            String path = entry.substring(tab + 1);
            String rel = prefix.isEmpty() ? path : path.substring(prefix.length() + 1);
            if (meta[1].equals("blob") && rel.endsWith(".json")) {
                blobs.put(rel, meta[2]);
            }
        }
        if (!blobs.containsKey("registry.json")) {
            return Optional.empty();
        }
        String display = ref + ":" + (prefix.isEmpty() ? "" : prefix + "/");
        String label = "git:" + ref + " (" + commit.substring(0, Math.min(12, commit.length())) + ")";
        SortedSet<String> paths = new TreeSet<>(blobs.keySet());
        return Optional.of(new BaselineTree(label, display) {
            @Override
            public SortedSet<String> paths() {
                return paths;
            }

            @Override
            public boolean sameText(String path, String text) {
                String id = blobs.get(path);
                return id != null && id.equals(blobId(text.getBytes(StandardCharsets.UTF_8)));
            }

            @Override
            protected String read(String path) {
                String id = blobs.get(path);
                if (id == null) {
                    return null;
                }
                Result blob = run(toplevel, null, "git", "cat-file", "blob", id);
                if (blob.code != 0) {
                    throw new CompatException("git cat-file failed for " + ref + ":" + path + ": " + blob.err().strip());
                }
                return blob.out();
            }
        });
    }

    /** The git blob id (SHA-1 of "blob LENGTH\0" and the bytes) of a file's content. */
    static String blobId(byte[] content) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            sha1.update(("blob " + content.length + "\0").getBytes(StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(sha1.digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
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
