package io.libchan.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.libchan.Libchan;
import io.libchan.Pipe;
import io.libchan.Sender;
import io.libchan.Transport;
import io.libchan.example.hello.Greeting;
import io.libchan.example.hello.HelloRequest;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Scope;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The demo WAR's metrics and spans leave WildFly through MicroProfile Telemetry (the
 * {@code opentelemetry} and {@code microprofile-telemetry} subsystems, added by
 * {@code deploy/wildfly/libchan.cli}): the deployment enables the SDK and exports over OTLP/HTTP to
 * a receiver in this JVM ({@link OtlpReceiver}), which then holds {@code libchan.*} instruments and
 * the {@code libchan.endpoint hello} span of a call, in the caller's trace. Both halves run in the
 * full it-tests run, after other deployments of the WAR in the same server. WildFly 38's own
 * {@code /metrics} never lists OpenTelemetry instruments: libchan's series get there as Micrometer
 * meters instead ({@link HealthIT}; deploy/WILDFLY.md, "Health, traces and metrics").
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class TelemetryIT {
    /** Many times the 500 ms export interval set below, with room for a loaded machine. */
    private static final Duration METRICS_WAIT = Duration.ofSeconds(60);
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String SPAN_ID = "00f067aa0ba902b7";
    private static final OtlpReceiver RECEIVER = start();

    private static OtlpReceiver start() {
        try {
            return new OtlpReceiver();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Deployment(testable = false)
    static WebArchive deployment() {
        return DemoWar.archive(
                "# MicroProfile Telemetry for this deployment only: on, exporting to the test's receiver",
                "otel.sdk.disabled=false",
                "otel.service.name=libchan-demo",
                "otel.metrics.exporter=otlp",
                "otel.traces.exporter=otlp",
                "otel.logs.exporter=none",
                "otel.exporter.otlp.protocol=http/protobuf",
                "otel.exporter.otlp.endpoint=" + RECEIVER.endpoint(),
                "otel.metric.export.interval=500",
                "otel.bsp.schedule.delay=200");
    }

    /**
     * Before Arquillian undeploys: the SDK's last export at undeploy then finds nobody and logs a
     * SEVERE "Failed to export metrics" in the server's log, which is expected.
     */
    @AfterAll
    static void stopReceiver() {
        RECEIVER.close();
    }

    @Test
    void aCallsEndpointSpanReachesTheOtlpReceiverInTheCallersTrace() {
        call();
        await().atMost(WAIT).until(() -> RECEIVER.tracesContain("libchan.endpoint hello".getBytes(StandardCharsets.UTF_8)));
        await().atMost(WAIT).until(() -> RECEIVER.tracesContain(HexFormat.of().parseHex(TRACE_ID)));
    }

    /**
     * The call's session ends within a few hundred milliseconds on a warm server, often before the
     * SDK's first collection after libchan made its instruments: {@code libchan.sessions.open} is
     * then reported at 0 for the series the session had (libchan-core keeps the series of an ended
     * session), so the gauge is there whether or not a collection caught the session open. Before
     * that, a full run (LedgerIT before this test) never saw the gauge, while the counters and the
     * endpoint histogram were exported all along.
     */
    @Test
    void aCallsMetricsReachTheOtlpReceiver() {
        call();
        try {
            await().atMost(METRICS_WAIT).until(() -> RECEIVER.metricsContain("libchan.messages.received")
                    && RECEIVER.metricsContain("libchan.sessions.open") && RECEIVER.metricsContain("libchan.endpoint.duration"));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            // which of the three is missing, and whether the exporter posted at all, tells where to look
            throw new AssertionError("in the " + RECEIVER.metricsExports() + " metrics exports received: libchan.messages.received "
                    + RECEIVER.metricsContain("libchan.messages.received") + ", libchan.sessions.open "
                    + RECEIVER.metricsContain("libchan.sessions.open") + ", libchan.endpoint.duration "
                    + RECEIVER.metricsContain("libchan.endpoint.duration"), e);
        }
    }

    /**
     * A session on WildFly's own listener (libchan-undertow's mount, whose settings are made before
     * CDI runs) counts into the deployment's OpenTelemetry too: its listener's series is exported.
     */
    @Test
    void aMountSessionsMetricsReachTheOtlpReceiver() {
        call(DemoWar.http("h2c"));
        String listener = "h2c://127.0.0.1:" + WildFlyPorts.port("it.http.port");
        try {
            await().atMost(METRICS_WAIT).until(() -> RECEIVER.metricsContain(listener));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("no " + listener + " series in the " + RECEIVER.metricsExports() + " metrics exports received", e);
        }
    }

    /** One call of {@code hello} on the raw server inside the caller's trace: the channel's SYN_STREAM carries it. */
    private static void call() {
        call(DemoWar.libchanUri());
    }

    private static void call(String uri) {
        SpanContext caller = SpanContext.createFromRemoteParent(TRACE_ID, SPAN_ID, TraceFlags.getSampled(), TraceState.getDefault());
        try (Transport session = Libchan.connect(uri)) {
            Pipe ret = Pipe.create();
            Sender hello = session.newSendChannel("hello");
            try (Scope ignored = Span.wrap(caller).makeCurrent()) {
                hello.send(new HelloRequest("telemetry", ret.sender()), WAIT);
            }
            hello.close();
            assertEquals(new Greeting("hello, telemetry"), ret.receiver().receive(Greeting.class, WAIT));
        }
    }
}
