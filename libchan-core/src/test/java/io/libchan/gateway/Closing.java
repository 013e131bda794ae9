package io.libchan.gateway;

import java.util.ArrayList;
import java.util.List;

/** What a gateway test opened, closed last-opened first at its end (targets outlive the gateways dialling them). */
final class Closing implements AutoCloseable {
    private final List<AutoCloseable> opened = new ArrayList<>();

    /** Closed at the end, before everything added earlier. */
    void add(AutoCloseable resource) {
        opened.add(resource);
    }

    @Override
    public void close() throws Exception {
        for (int i = opened.size() - 1; i >= 0; i--) {
            opened.get(i).close();
        }
    }
}
