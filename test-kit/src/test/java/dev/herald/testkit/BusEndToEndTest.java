package dev.herald.testkit;

import org.junit.jupiter.api.extension.RegisterExtension;

/** The end-to-end contract on one Redis server. */
class BusEndToEndTest extends BusEndToEndContract {

    @RegisterExtension
    static final HeraldExtension HERALD = HeraldExtension.create();

    @Override
    HeraldExtension herald() {
        return HERALD;
    }
}
