package io.libchan.demo.embedded;

import io.libchan.cdi.SessionClosed;
import io.libchan.cdi.SessionOpened;
import io.libchan.cdi.SessionRole;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/** Feeds {@code libchan.demo.sessions.open} ({@link DemoTelemetry}) from libchan-cdi's session events: server sessions only. */
@ApplicationScoped
class SessionGauge {
    void opened(@Observes SessionOpened e) {
        if (e.role() == SessionRole.SERVER) {
            DemoTelemetry.get().sessionOpened();
        }
    }

    void closed(@Observes SessionClosed e) {
        if (e.role() == SessionRole.SERVER) {
            DemoTelemetry.get().sessionClosed();
        }
    }
}
