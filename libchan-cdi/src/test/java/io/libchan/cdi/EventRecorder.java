package io.libchan.cdi;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/** Records the session events of its container, in order. */
@Singleton
class EventRecorder {
    final BlockingQueue<Object> events = new LinkedBlockingQueue<>();

    void opened(@Observes SessionOpened event) {
        events.add(event);
    }

    void closed(@Observes SessionClosed event) {
        events.add(event);
    }
}
