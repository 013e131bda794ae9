package io.libchan.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An HTTP/1.1 call carrying W3C {@code traceparent}/{@code tracestate} headers joins that trace:
 * the endpoint's {@code libchan.endpoint <name>} span is the child of the request's parent span,
 * through the JAX-RS fallback and through libchan-undertow's servlet mount alike (PROTOCOL.md
 * sections 8 and 13.6.1); so does a channel a browser opens over {@code libchan.json} with those
 * fields in its {@code open} frame (13.4.1).
 */
@Timeout(60)
class RestTraceTest {
    private static final String TRACE_ID = "0af7651916cd43dd8448eb211c80319c";
    private static final String PARENT_ID = "b7ad6b7169203331";
    private static final BlockingQueue<SpanData> ENDED = new LinkedBlockingQueue<>();
    static OpenTelemetrySdk sdk;
    static FallbackServer app;

    /** Hands every ended span to {@link #ENDED}. */
    static final class Recorder implements SpanProcessor {
        @Override
        public void onStart(Context parentContext, ReadWriteSpan span) {
        }

        @Override
        public boolean isStartRequired() {
            return false;
        }

        @Override
        public void onEnd(ReadableSpan span) {
            ENDED.add(span.toSpanData());
        }

        @Override
        public boolean isEndRequired() {
            return true;
        }
    }

    @BeforeAll
    static void start() throws Exception {
        sdk = OpenTelemetrySdk.builder().setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(new Recorder()).build()).build();
        GlobalOpenTelemetry.resetForTest();
        GlobalOpenTelemetry.set(sdk);
        app = FallbackServer.startWithMount(TestConfig.PROPERTIES, Shop.class);
    }

    @AfterAll
    static void stop() throws Exception {
        app.close();
        GlobalOpenTelemetry.resetForTest();
        sdk.close();
    }

    private static SpanData callWithTrace(URI uri) throws Exception {
        ENDED.clear();
        HttpRequest request = Http.request(uri, "alice").header("Content-Type", "application/json")
                .header("traceparent", "00-" + TRACE_ID + "-" + PARENT_ID + "-01").header("tracestate", "shop=1")
                .POST(HttpRequest.BodyPublishers.ofString("{\"n\":1}")).build();
        HttpResponse<String> r = Http.send(request);
        assertEquals(200, r.statusCode(), r.body());
        SpanData span = ENDED.poll(Http.TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        assertEquals("libchan.endpoint echo", span == null ? null : span.getName(), "no endpoint span ended");
        return span;
    }

    @Test
    void aFallbackCallWithTraceparentIsASpanOfThatTrace() throws Exception {
        SpanData span = callWithTrace(app.http("/api/libchan/call/echo"));
        assertEquals(TRACE_ID, span.getTraceId());
        assertEquals(PARENT_ID, span.getParentSpanId());
        assertEquals("1", span.getParentSpanContext().getTraceState().get("shop"));
        assertEquals("echo", span.getAttributes().get(AttributeKey.stringKey("rpc.method")));
    }

    @Test
    void aBrowserChannelOpenedWithTraceparentOverLibchanJsonIsServedInThatTrace() throws Exception {
        ENDED.clear();
        WebSocket ws = Http.client().newWebSocketBuilder().subprotocols("libchan.json")
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        ("alice:" + TestIdentities.PASSWORD).getBytes(StandardCharsets.UTF_8)))
                .buildAsync(URI.create("ws://127.0.0.1:" + app.port() + "/app/api/libchan/ws"), new WebSocket.Listener() { })
                .get(Http.TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        try {
            ws.sendText("{\"op\":\"open\",\"id\":1,\"name\":\"echo\",\"traceparent\":\"00-" + TRACE_ID + "-" + PARENT_ID
                    + "-01\",\"tracestate\":\"shop=1\"}", true).join();
            ws.sendText("{\"op\":\"msg\",\"id\":1,\"msg\":{\"n\":1,\"ret\":{\"$sender\":3}}}", true).join();
            SpanData span = ENDED.poll(Http.TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            assertEquals("libchan.endpoint echo", span == null ? null : span.getName(), "no endpoint span ended");
            assertEquals(TRACE_ID, span.getTraceId());
            assertEquals(PARENT_ID, span.getParentSpanId());
            assertEquals("1", span.getParentSpanContext().getTraceState().get("shop"));
        } finally {
            ws.abort();
        }
    }

    @Test
    void aMountCallWithTraceparentIsASpanOfThatTrace() throws Exception {
        SpanData span = callWithTrace(app.http("/mount/call/echo"));
        assertEquals(TRACE_ID, span.getTraceId());
        assertEquals(PARENT_ID, span.getParentSpanId());
    }
}
