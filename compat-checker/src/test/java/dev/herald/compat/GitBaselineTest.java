package dev.herald.compat;

import static dev.herald.compat.TestRegistry.event;
import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.compat.cli.HeraldCompat;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real git repository as the baseline: commit, change, check against git:HEAD; a shallow clone; a missing ref. */
class GitBaselineTest {

    static final String ID = "\"orderId\": {\"type\": \"string\"}";
    static final String NOTE = "\"note\": {\"type\": \"string\"}";

    @TempDir
    Path tmp;
    Path repo;
    TestRegistry reg;

    static String git(Path dir, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("git", "-c", "user.name=Herald Test", "-c", "user.email=test@herald.dev",
                "-c", "init.defaultBranch=main", "-c", "protocol.file.allow=always", "-c", "commit.gpgsign=false"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as("git " + String.join(" ", args) + ":\n" + out).isZero();
        return out;
    }

    record Run(int code, String out, String err) {
    }

    static Run cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = HeraldCompat.execute(new PrintWriter(out), new PrintWriter(err), args);
        return new Run(code, out.toString(), err.toString());
    }

    @BeforeEach
    void publish() throws Exception {
        repo = tmp.resolve("repo");
        reg = new TestRegistry(repo.resolve("schemas"))
                .write("events/order.created/v1.json", event("order", "\"orderId\"", ID, NOTE));
        git(repo, "init", "-q");
        git(repo, "add", "-A");
        git(repo, "commit", "-q", "-m", "publish order.created v1");
    }

    @Test
    void unchangedFilesAreRecognisedByTheirGitBlobIdWithoutReadingThem() throws Exception {
        String text = java.nio.file.Files.readString(repo.resolve("schemas/events/order.created/v1.json"));
        String id = git(repo, "hash-object", "schemas/events/order.created/v1.json").strip();
        assertThat(GitBaseline.blobId(text.getBytes(StandardCharsets.UTF_8))).isEqualTo(id);
        BaselineTree tree = GitBaseline.tree(repo.resolve("schemas"), "HEAD").orElseThrow();
        assertThat(tree.paths()).containsExactly("events/order.created/v1.json", "registry.json");
        assertThat(tree.sameText("events/order.created/v1.json", text)).isTrue();
        assertThat(tree.sameText("events/order.created/v1.json", text + " ")).isFalse();
        assertThat(tree.document("events/order.created/v1.json").text()).isEqualTo(text);
        assertThat(tree.document("events/order.created/v1.json").path().toString()).isEqualTo("HEAD:schemas/events/order.created/v1.json");
    }

    @Test
    void unchangedRegistryPasses() {
        Run r = cli("check", "--against", "git:HEAD", repo.resolve("schemas").toString());
        assertThat(r.code()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).startsWith("PASSED: 0 errors").contains("baseline git:HEAD (");
    }

    @Test
    void editingAPublishedFileAndABreakingNewVersionFailAgainstHead() {
        reg.write("events/order.created/v1.json", event("order", "\"orderId\"", ID, "\"note\": {\"type\": \"string\", \"maxLength\": 10}"))
                .write("events/order.created/v2.json", event("order", "\"orderId\"", ID));
        Run r = cli("check", "--against", "git:HEAD", repo.resolve("schemas").toString());
        assertThat(r.code()).as(r.out() + r.err()).isEqualTo(1);
        assertThat(r.out()).contains("/schemas/events/order.created/v1.json:9:1: error [PUBLISHED_VERSION_MODIFIED] registry against git:HEAD (")
                .contains("old: '\"note\": {\"type\": \"string\"}' at HEAD:schemas/events/order.created/v1.json:9:1")
                .contains("error [PROPERTY_REMOVED] order.created v2 against v1 at /properties/note")
                .contains("FAILED: 2 errors");
        // the work tree and the index are untouched
        assertThat(gitQuiet("status", "--porcelain")).contains(" M schemas/events/order.created/v1.json").contains("?? schemas/events/order.created/v2.json");
    }

    private String gitQuiet(String... args) {
        try {
            return git(repo, args);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void shallowCloneWorksAndAMissingRefSaysHowToFetchIt() throws Exception {
        git(repo, "checkout", "-q", "-b", "release");
        reg.write("events/order.created/v2.json", event("order", "\"orderId\"", ID, NOTE));
        git(repo, "add", "-A");
        git(repo, "commit", "-q", "-m", "v2 on release");
        git(repo, "checkout", "-q", "main");

        Path clone = tmp.resolve("clone");
        git(tmp, "clone", "-q", "--depth", "1", "--single-branch", "--branch", "main", repo.toUri().toString(), clone.toString());
        assertThat(git(clone, "rev-parse", "--is-shallow-repository").strip()).isEqualTo("true");
        String schemas = clone.resolve("schemas").toString();

        Run ok = cli("check", "--against", "git:origin/main", schemas);
        assertThat(ok.code()).as(ok.out() + ok.err()).isZero();

        Run missing = cli("check", "--against", "git:origin/release", schemas);
        assertThat(missing.code()).isEqualTo(2);
        String fetch = "git fetch --no-tags --depth=1 origin +refs/heads/release:refs/remotes/origin/release";
        assertThat(missing.err()).contains("git ref 'origin/release' is not available in this clone (it is a shallow clone)").contains(fetch);

        git(clone, fetch.substring(4).split(" "));
        Run after = cli("check", "--against", "git:origin/release", schemas);
        // release has v2, this branch does not: a version was deleted
        assertThat(after.code()).as(after.out() + after.err()).isEqualTo(1);
        assertThat(after.out()).contains("error [VERSION_REMOVED] registry against git:origin/release");
    }

    @Test
    void aRefWithoutARegistryYetChecksTheVersionsOnly() throws Exception {
        git(repo, "checkout", "-q", "--orphan", "empty");
        git(repo, "rm", "-q", "-r", "--cached", "schemas");
        git(repo, "commit", "-q", "--allow-empty", "-m", "nothing");
        Run r = cli("check", "--against", "git:empty", repo.resolve("schemas").toString());
        assertThat(r.code()).as(r.out() + r.err()).isZero();
        assertThat(r.err()).contains("has no registry at");
    }

    @Test
    void outsideAGitRepositoryTheMessageSaysWhatToDoInstead() {
        TestRegistry plain = new TestRegistry(tmp.resolve("plain/schemas"))
                .write("events/order.created/v1.json", event("order", "\"orderId\"", ID));
        Run r = cli("check", "--against", "git:HEAD", plain.root().toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("is not inside a git repository").contains("--against DIR");
    }
}
