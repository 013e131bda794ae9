package io.libchan.cdi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.libchan.ErrorReply;
import io.libchan.Libchan;
import io.libchan.Pipe;
import io.libchan.RemoteErrorException;
import io.libchan.Sender;
import io.libchan.Transport;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An endpoint call joins the caller's trace (PROTOCOL.md section 8): a Java client over tcp that
 * calls from inside a span sees the server's {@code libchan.endpoint <name>} span in its own trace,
 * as the child of its span, per request (a channel reused under another span gives that span's
 * trace); an error reply marks the span failed with the reply's type. The OpenTelemetry SDK is
 * installed as the global one, as a server's MicroProfile Telemetry would.
 */
class EndpointTraceTest {
    static final Duration WAIT = Await.TIMEOUT;
    static final BlockingQueue<SpanData> ENDED = new LinkedBlockingQueue<>();
    static OpenTelemetrySdk sdk;
    static TestContainer server;
    static Tracer tracer;

    record Name(String name) {
    }

    @ApplicationScoped
    static class Greeter {
        @ChannelEndpoint("greet")
        String greet(Name who) {
            return "hello " + who.name();
        }

        @ChannelEndpoint("refuse")
        String refuse(Name who) {
            throw new IllegalArgumentException("not " + who.name());
        }
    }

    /** Hands every ended span to its queue, so a test waits for the server's span to end. */
    static final class Recorder implements SpanProcessor {
        private final BlockingQueue<SpanData> ended;

        Recorder(BlockingQueue<SpanData> ended) {
            this.ended = ended;
        }

        @Override
        public void onStart(Context parentContext, ReadWriteSpan span) {
        }

        @Override
        public boolean isStartRequired() {
            return false;
        }

        @Override
        public void onEnd(ReadableSpan span) {
            ended.add(span.toSpanData());
        }

        @Override
        public boolean isEndRequired() {
            return true;
        }
    }

    @BeforeAll
    static void start() {
        sdk = OpenTelemetrySdk.builder().setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(new Recorder(ENDED)).build()).build();
        GlobalOpenTelemetry.resetForTest();
        GlobalOpenTelemetry.set(sdk);
        tracer = sdk.getTracer("test-client");
        server = TestContainer.start(Map.of("libchan.server.api.listen", "tcp://127.0.0.1:0",
                "libchan.server.api.anonymous", "true", "libchan.server.api.endpoints", "greet,refuse"), Greeter.class);
    }

    @AfterAll
    static void stop() {
        server.close();
        GlobalOpenTelemetry.resetForTest();
        sdk.close();
    }

    private static Object call(Sender channel, String name) {
        Pipe ret = Pipe.create();
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("name", name);
        request.put("ret", ret.sender());
        channel.send(request);
        return ret.receiver().receive(Object.class, WAIT);
    }

    private static SpanData serverSpan(String endpoint) throws InterruptedException {
        return Await.next(ENDED, SpanData.class, s -> s.getName().equals("libchan.endpoint " + endpoint));
    }

    @Test
    void eachCallOverTcpIsASpanInTheCallersTrace() throws Exception {
        ENDED.clear();
        try (Transport client = Libchan.connect(server.select(ChannelServers.class).uri("api").toString())) {
            Sender channel = client.newSendChannel("greet");
            Span first = tracer.spanBuilder("first request").startSpan();
            try (Scope ignored = first.makeCurrent()) {
                assertEquals("hello ada", call(channel, "ada"));
            } finally {
                first.end();
            }
            SpanData served = serverSpan("greet");
            assertEquals(first.getSpanContext().getTraceId(), served.getTraceId());
            assertEquals(first.getSpanContext().getSpanId(), served.getParentSpanId());
            assertEquals(SpanKind.SERVER, served.getKind());
            assertEquals("libchan", served.getAttributes().get(AttributeKey.stringKey("rpc.system")));
            assertEquals("greet", served.getAttributes().get(AttributeKey.stringKey("rpc.method")));
            assertEquals(StatusCode.UNSET, served.getStatus().getStatusCode());

            // the same channel, later, from another trace: the request's reply channel carries that one
            Span second = tracer.spanBuilder("second request").startSpan();
            try (Scope ignored = second.makeCurrent()) {
                assertEquals("hello bob", call(channel, "bob"));
            } finally {
                second.end();
            }
            SpanData again = serverSpan("greet");
            assertNotEquals(first.getSpanContext().getTraceId(), second.getSpanContext().getTraceId());
            assertEquals(second.getSpanContext().getTraceId(), again.getTraceId());
            assertEquals(second.getSpanContext().getSpanId(), again.getParentSpanId());
        }
    }

    @Test
    void anErrorReplyMarksTheSpanFailedWithItsType() throws Exception {
        ENDED.clear();
        try (Transport client = Libchan.connect(server.select(ChannelServers.class).uri("api").toString())) {
            Span caller = tracer.spanBuilder("caller").startSpan();
            try (Scope ignored = caller.makeCurrent()) {
                Sender channel = client.newSendChannel("refuse");
                RemoteErrorException error = ErrorReply.asError(call(channel, "carl")).orElseThrow();
                assertEquals(IllegalArgumentException.class.getName(), error.type());
            } finally {
                caller.end();
            }
            SpanData served = serverSpan("refuse");
            assertEquals(caller.getSpanContext().getTraceId(), served.getTraceId());
            assertEquals(StatusCode.ERROR, served.getStatus().getStatusCode());
            assertEquals(IllegalArgumentException.class.getName(), served.getAttributes().get(AttributeKey.stringKey("error.type")));
        }
    }

    /** What MicroProfile Telemetry gives a deployment: an OpenTelemetry bean of its own, not the global one. */
    @ApplicationScoped
    static class ApplicationTelemetry {
        static final BlockingQueue<SpanData> ENDED = new LinkedBlockingQueue<>();
        static final OpenTelemetrySdk SDK = OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(new Recorder(ENDED)).build()).build();

        @Produces
        OpenTelemetry openTelemetry() {
            return SDK;
        }
    }

    @Test
    void anApplicationsOwnOpenTelemetryBeanGetsItsEndpointSpans() throws Exception {
        ENDED.clear();
        try (TestContainer app = TestContainer.start(Map.of("libchan.server.api.listen", "inmem:trace-own-sdk",
                "libchan.server.api.anonymous", "true", "libchan.server.api.endpoints", "greet"),
                Greeter.class, ApplicationTelemetry.class);
                Transport client = Libchan.connect("inmem:trace-own-sdk")) {
            assertEquals("hello eve", call(client.newSendChannel("greet"), "eve"));
            SpanData served = Await.next(ApplicationTelemetry.ENDED, SpanData.class, s -> s.getName().equals("libchan.endpoint greet"));
            assertEquals("greet", served.getAttributes().get(AttributeKey.stringKey("rpc.method")));
            assertEquals(List.of(), List.copyOf(ENDED), "nothing went to the global OpenTelemetry");
        } finally {
            ApplicationTelemetry.SDK.close();
        }
    }

    @Test
    void aCallWithNoTraceStartsOneOfItsOwn() throws Exception {
        ENDED.clear();
        try (Transport client = Libchan.connect(server.select(ChannelServers.class).uri("api").toString())) {
            assertEquals("hello dan", call(client.newSendChannel("greet"), "dan"));
            SpanData served = serverSpan("greet");
            assertFalse(served.getParentSpanContext().isValid(), "a root span: " + served);
        }
    }
}
