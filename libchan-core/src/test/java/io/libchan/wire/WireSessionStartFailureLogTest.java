package io.libchan.wire;

import io.libchan.Libchan;
import io.libchan.Listener;
import io.libchan.Settings;
import io.libchan.Transport;
import io.libchan.testing.LogCapture;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.metrics.MeterProvider;
import io.opentelemetry.api.trace.TracerProvider;
import io.opentelemetry.context.propagation.ContextPropagators;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.logging.LogRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A server that cannot start a session for a reason of its own (here an OpenTelemetry that throws;
 * in a WAR, a library missing from WEB-INF/lib) says so at WARNING with the cause, instead of
 * closing every connection without a word (issue 16's it-tests met exactly that).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WireSessionStartFailureLogTest {

    /** Fails where a session would make its instruments. */
    private static final class BrokenMeters implements OpenTelemetry {
        @Override
        public TracerProvider getTracerProvider() {
            return TracerProvider.noop();
        }

        @Override
        public MeterProvider getMeterProvider() {
            throw new IllegalStateException("no meters here");
        }

        @Override
        public ContextPropagators getPropagators() {
            return ContextPropagators.noop();
        }
    }

    @Test
    void aSessionTheServerCannotStartIsLoggedAtWarningWithItsCause() throws Exception {
        try (LogCapture log = new LogCapture()) {
            Settings broken = Settings.builder().openTelemetry(new BrokenMeters()).build();
            try (Listener listener = Libchan.listen(URI.create("tcp://127.0.0.1:0"), broken)) {
                Transport client = Libchan.connect(listener.uri().toString());
                try {
                    // the server closes the connection at once: the session ends, whatever the send did
                    client.closeFuture().handle((v, e) -> null).get(30, TimeUnit.SECONDS);
                } finally {
                    client.abort();
                }
                // the line is written as the server gives up on the connection, so around its close
                Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> log.warnings().stream()
                        .anyMatch(WireSessionStartFailureLogTest::namesTheCause));
            }
        }
    }

    private static boolean namesTheCause(LogRecord r) {
        return r.getMessage().contains("could not start its session") && r.getThrown() != null
                && "no meters here".equals(r.getThrown().getMessage());
    }
}
