package dev.herald.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.runtime.fixtures.TestServices;
import dev.herald.runtime.fixtures.WidgetCreated;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.redisson.api.RedissonClient;
import redis.embedded.RedisServer;

/**
 * The bus over TLS: the embedded redis-server (6.2, built with TLS) serving only a TLS port with a
 * certificate from a self-signed test CA (src/test/resources/tls); the client trusts that CA
 * through Redisson's YAML ({@code --redisson-config}), and refuses the server without it.
 */
class TlsConnectionTest {

    @TempDir
    Path tmp;

    @Test
    void sendsOverTlsWhenTheCaIsTrustedAndRefusesAServerItCannotVerify() throws Exception {
        for (String f : new String[] {"ca.crt", "redis.crt", "redis.key"}) {
            try (InputStream in = getClass().getResourceAsStream("/tls/" + f)) {
                Files.copy(in, tmp.resolve(f));
            }
        }
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        RedisServer server = RedisServer.newRedisServer().port(0).bind("127.0.0.1")
                .setting("tls-port " + port)
                .setting("tls-cert-file " + tmp.resolve("redis.crt"))
                .setting("tls-key-file " + tmp.resolve("redis.key"))
                .setting("tls-ca-cert-file " + tmp.resolve("ca.crt"))
                .setting("tls-auth-clients no")
                .setting("save \"\"").setting("appendonly no").build();
        server.start();
        try {
            // a PKCS#12 trust store holding the test CA, as a team would make one with keytool
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            try (InputStream ca = Files.newInputStream(tmp.resolve("ca.crt"))) {
                trust.setCertificateEntry("herald-test-ca", CertificateFactory.getInstance("X.509").generateCertificate(ca));
            }
            Path store = tmp.resolve("trust.p12");
            try (OutputStream out = Files.newOutputStream(store)) {
                trust.store(out, "changeit".toCharArray());
            }
            Path yaml = tmp.resolve("redisson.yaml");
            Files.writeString(yaml, "sslTruststore: \"" + store.toUri() + "\"\nsslTruststorePassword: \"changeit\"\n"
                    + "singleServerConfig:\n  address: \"rediss://127.0.0.1:" + port + "\"\n");

            RedissonClient client = RedisConnection.redissonConfig(yaml).connect();
            try (Messenger m = Messenger.builder().redisson(client).service(TestServices.WIDGETS).build()) {
                m.send(WidgetCreated.sample(1));
                assertThat(client.getStream(m.keys().topic("widget.created")).size()).isEqualTo(1);
            } finally {
                client.shutdown();
            }
            // without the CA the server's certificate cannot be verified: no connection, no send
            assertThatThrownBy(() -> {
                RedissonClient untrusted = RedisConnection.url("rediss://127.0.0.1:" + port).connect();
                try {
                    untrusted.getBucket("x").set("y");
                } finally {
                    untrusted.shutdown();
                }
            }).satisfies(e -> {
                // refused at the TLS handshake (the server's certificate is not trusted), not for another reason
                Throwable t = e;
                boolean handshake = false;
                for (int i = 0; t != null && i < 20; i++, t = t.getCause()) {
                    handshake |= t instanceof javax.net.ssl.SSLException || String.valueOf(t.getMessage()).contains("PKIX");
                }
                assertThat(handshake).as("failed at the TLS handshake: " + e).isTrue();
            });
        } finally {
            server.stop();
        }
    }
}
