package dev.herald.runtime;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The names of the services' consumer groups on the topics, and how registrations carry them. */
class TopicGroupTest {

    @Test
    void withoutASecretTheGroupIsTheServiceAndWithOneItCannotBeToldFromTheServiceName() {
        assertThat(RedisKeys.topicGroup("payment", null)).isEqualTo("payment").isEqualTo(RedisKeys.topicGroup("payment"));
        assertThat(RedisKeys.topicGroup("payment", "")).isEqualTo("payment");

        String a = RedisKeys.topicGroup("payment", "s3cret");
        assertThat(a).matches("payment\\.[0-9a-f]{20}")
                .as("the same secret on every instance: the same group").isEqualTo(RedisKeys.topicGroup("payment", "s3cret"))
                .isNotEqualTo(RedisKeys.topicGroup("payment", "s3cret2"));
        assertThat(RedisKeys.topicGroup("product", "s3cret").substring("product.".length()))
                .as("the secret's part differs per service").isNotEqualTo(a.substring("payment.".length()));
        assertThat(RedisKeys.groupService(a)).isEqualTo("payment");
        assertThat(RedisKeys.groupService("payment")).isEqualTo("payment");
    }

    @Test
    void aRegistrationKeepsItsGroupAndNoServiceMayNameAnotherServicesGroup() {
        String group = RedisKeys.topicGroup("payment", "s3cret");
        Registration r = new Registration("payment", List.of("order.*"), "2026-12-02T10:00:00Z", "i-1", null, group);
        Registration read = Registration.fromJson(r.toJson());
        assertThat(read.topicGroup()).isEqualTo(group);
        assertThat(read.stopped("2026-12-02T11:00:00Z").topicGroup()).isEqualTo(group);
        assertThat(Registration.fromJson("{\"service\":\"payment\",\"listensTo\":[],\"updatedAt\":\"x\",\"instance\":\"i\"}").topicGroup())
                .as("a registration of an earlier version: the service's name").isEqualTo("payment");
        assertThatThrownBy(() -> new Registration("payment", List.of(), "x", "i", null, RedisKeys.topicGroup("order", "s")))
                .hasMessageContaining("names group 'order.");
    }
}
