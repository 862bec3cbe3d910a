package dev.herald.testkit;

import org.junit.jupiter.api.extension.RegisterExtension;

/** The end-to-end contract on a local Redis Cluster: three primaries, each with a replica. */
class BusEndToEndClusterTest extends BusEndToEndContract {

    @RegisterExtension
    static final HeraldExtension HERALD = HeraldExtension.builder().cluster(true).build();

    @Override
    HeraldExtension herald() {
        return HERALD;
    }
}
