package dev.herald.runtime;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RedisUrlTest {

    @Test
    void passwordsNeverShow() {
        assertThat(RedisUrl.redacted("redis://user:s3cr%40t@cache.internal:6380/2")).isEqualTo("redis://user:***@cache.internal:6380/2");
        assertThat(RedisUrl.redacted("rediss://:hunter2@10.0.0.1:6379")).isEqualTo("rediss://:***@10.0.0.1:6379");
        assertThat(RedisUrl.redacted("redis://hunter2@host:6379")).isEqualTo("redis://:***@host:6379");
        assertThat(RedisUrl.redacted("redis://127.0.0.1:6379")).isEqualTo("redis://127.0.0.1:6379");
        assertThat(RedisUrl.redacted("redis://a:p@ss@host:1")).doesNotContain("p@ss").doesNotContain("ss@host").endsWith("@host:1");
    }
}
