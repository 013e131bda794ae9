package io.libchan.rest;

import java.util.Map;

/** The configuration of the test application: an allow-list without "internal", a default, short limits. */
final class TestConfig {
    static final Map<String, String> PROPERTIES = Map.of(
            "libchan.rest.endpoints", "echo, events, audit, hold, note",
            "libchan.rest.default-endpoint", "echo",
            "libchan.rest.call-timeout", "2s",
            "libchan.rest.max-message-bytes", "65536");

    private TestConfig() {
    }
}
