package io.libchan.undertow.internal.h2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.client.ClientCallback;
import io.undertow.client.ClientConnection;
import io.undertow.client.ClientExchange;
import io.undertow.client.ClientRequest;
import io.undertow.client.UndertowClient;
import io.undertow.server.DefaultByteBufferPool;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.xnio.ChannelListener;
import org.xnio.IoUtils;
import org.xnio.OptionMap;
import org.xnio.Options;
import org.xnio.Xnio;
import org.xnio.XnioWorker;
import org.xnio.channels.StreamSinkChannel;
import org.xnio.channels.StreamSourceChannel;

/**
 * A tunnel's last write meets a flow-control window smaller than itself: Undertow sends what the
 * window allows and keeps the rest, reporting the flush done. Every byte must still reach the
 * peer once it opens the window, with no further write from the session (the tail of an echoed
 * byte stream used to stay behind, about one h2c echo in thirty).
 */
class ChannelWireFlowControlTest {
    /** The receiving side's HTTP/2 stream window: far smaller than the write. */
    private static final int WINDOW = 1000;
    private static final int WRITE = 3 * WINDOW + 123;

    private Undertow server;
    private XnioWorker worker;
    private ClientConnection connection;
    private final CompletableFuture<Long> serverReceived = new CompletableFuture<>();
    private final CompletableFuture<Boolean> serverSinkSeen = new CompletableFuture<>();

    @AfterEach
    void stop() {
        handlers.shutdownNow();
        IoUtils.safeClose(connection);
        if (server != null) {
            server.stop();
        }
        if (worker != null) {
            worker.shutdownNow();
        }
    }

    @Test
    void clientWriteLargerThanTheServersWindowArrivesWhole() throws Exception {
        int port = startServer(OptionMap.create(UndertowOptions.HTTP2_SETTINGS_INITIAL_WINDOW_SIZE, WINDOW));
        connect(port, OptionMap.EMPTY);
        roundTrip(); // the server's SETTINGS (its window) are in effect on the client from here

        ClientExchange exchange = open("/count");
        ChannelWire wire = new ChannelWire(exchange.getRequestChannel(), null, null, "test", () -> { });
        assertFalse(SinkRemainder.of(exchange.getRequestChannel()).blind(), "the client's stream buffer is visible");
        wire.writeFrame(new byte[8], new byte[WRITE - 8], 0, WRITE - 8, null);
        wire.flush(); // from this thread: the I/O thread writes it, the way a session's sends go

        assertEquals(WRITE, serverReceived.get(30, TimeUnit.SECONDS), "bytes the server read");
    }

    @Test
    void serverWriteLargerThanTheClientsWindowArrivesWhole() throws Exception {
        int port = startServer(OptionMap.EMPTY);
        connect(port, OptionMap.create(UndertowOptions.HTTP2_SETTINGS_INITIAL_WINDOW_SIZE, WINDOW));
        roundTrip();

        ClientExchange exchange = open("/send");
        AtomicLong received = new AtomicLong();
        CompletableFuture<Long> all = new CompletableFuture<>();
        StreamSourceChannel body = exchange.getResponseChannel();
        body.getReadSetter().set(count(received, WRITE, all));
        body.resumeReads();

        assertEquals(true, serverSinkSeen.get(30, TimeUnit.SECONDS), "the server's stream buffer is visible");
        assertEquals(WRITE, all.get(30, TimeUnit.SECONDS), "bytes the client read");
    }

    /** Bytes each flooding stream's wire is given: three times HTTP/2's default window. */
    private static final int FLOOD = 3 * 65_535;
    private final java.util.List<ChannelWire> floodWires = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final java.util.concurrent.ExecutorService handlers = java.util.concurrent.Executors.newSingleThreadExecutor();

    @Test
    void streamsWhosePeerStopsReadingParkNoThread() throws Exception {
        int port = startServer(OptionMap.EMPTY);
        connect(port, OptionMap.EMPTY);
        roundTrip();
        int streams = 16;
        java.util.List<ClientExchange> exchanges = new java.util.ArrayList<>();
        for (int i = 0; i < streams; i++) {
            exchanges.add(open("/flood")); // answered; its body is not read yet
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!(floodWires.size() == streams && floodWires.stream().allMatch(ChannelWire::waitingForStream))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not every wire came to wait for its stream: " + floodWires.size());
            }
            Thread.onSpinWait();
        }
        // every wire holds a backlog the client does not read: none of them holds a thread for it
        for (java.util.Map.Entry<Thread, StackTraceElement[]> t : Thread.getAllStackTraces().entrySet()) {
            String wire = ChannelWire.class.getName();
            boolean inWire = java.util.Arrays.stream(t.getValue())
                    .anyMatch(f -> f.getClassName().equals(wire) || f.getClassName().startsWith(wire + "$"));
            if (inWire && !t.getKey().getName().contains("I/O")) {
                throw new AssertionError("a thread waits in ChannelWire: " + t.getKey().getName());
            }
        }
        // the client reads: every byte comes, each wire done
        java.util.List<CompletableFuture<Long>> all = new java.util.ArrayList<>();
        for (ClientExchange e : exchanges) {
            CompletableFuture<Long> done = new CompletableFuture<>();
            StreamSourceChannel body = e.getResponseChannel();
            body.getReadSetter().set(count(new AtomicLong(), FLOOD, done));
            connection.getIoThread().execute(body::resumeReads);
            all.add(done);
        }
        for (CompletableFuture<Long> done : all) {
            assertEquals(FLOOD, done.get(30, TimeUnit.SECONDS));
        }
    }

    private void flood(HttpServerExchange exchange) {
        exchange.setStatusCode(200);
        StreamSinkChannel sink = exchange.getResponseChannel();
        ChannelWire wire = new ChannelWire(sink, exchange.getRequestChannel(), null, "flood", () -> { });
        try {
            sink.flush();
            wire.keepExchangeOpen();
            wire.writeFrame(new byte[8], new byte[FLOOD - 8], 0, FLOOD - 8, null);
            wire.flush();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        floodWires.add(wire);
    }

    private int startServer(OptionMap serverOptions) {
        io.libchan.undertow.LoopbackUndertow started = io.libchan.undertow.LoopbackUndertow.start(this::handle,
                b -> serverOptions.forEach(o -> setOption(b, o, serverOptions)));
        server = started.server();
        return started.port();
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void setOption(Undertow.Builder b, org.xnio.Option o, OptionMap map) {
        b.setServerOption(o, map.get(o));
    }

    private void handle(HttpServerExchange exchange) {
        switch (exchange.getRequestPath()) {
            case "/count" -> {
                // reads the body as it comes (returning window to the client) and counts it
                exchange.setStatusCode(200);
                StreamSourceChannel source = exchange.getRequestChannel();
                AtomicLong received = new AtomicLong();
                source.getReadSetter().set(count(received, WRITE, serverReceived));
                source.resumeReads();
                exchange.getResponseChannel().resumeWrites(); // keeps the exchange open once this returns
            }
            case "/send" -> exchange.dispatch(this::send); // off the I/O thread, as the tunnel starts
            case "/flood" -> exchange.dispatch(handlers, this::flood); // one thread of ours, started once
            default -> exchange.setStatusCode(204);
        }
    }

    private void send(HttpServerExchange exchange) {
        {
            {
                exchange.setStatusCode(200);
                StreamSinkChannel sink = exchange.getResponseChannel();
                ChannelWire wire = new ChannelWire(sink, exchange.getRequestChannel(), null, "test", () -> { });
                serverSinkSeen.complete(!SinkRemainder.of(sink).blind());
                try {
                    sink.flush(); // the response headers, as the tunnel sends them
                } catch (IOException e) {
                    serverSinkSeen.completeExceptionally(e);
                }
                wire.keepExchangeOpen();
                Thread writer = new Thread(() -> {
                    try {
                        wire.writeFrame(new byte[8], new byte[WRITE - 8], 0, WRITE - 8, null);
                        wire.flush(); // off the I/O thread, as the session's sends
                    } catch (IOException e) {
                        serverSinkSeen.completeExceptionally(e);
                    }
                });
                writer.start();
            }
        }
    }

    private static ChannelListener<StreamSourceChannel> count(AtomicLong received, long expected, CompletableFuture<Long> done) {
        ByteBuffer buf = ByteBuffer.allocate(16 * 1024);
        return ch -> {
            try {
                int n;
                while ((n = ch.read(buf.clear())) > 0) {
                    if (received.addAndGet(n) >= expected) {
                        done.complete(received.get());
                    }
                }
                if (n < 0) {
                    done.complete(received.get());
                    ch.suspendReads();
                }
            } catch (IOException e) {
                done.completeExceptionally(e);
            }
        };
    }

    private void connect(int port, OptionMap extra) throws IOException {
        worker = Xnio.getInstance(UndertowClient.class.getClassLoader()).createWorker(OptionMap.builder()
                .set(Options.WORKER_IO_THREADS, 1)
                .set(Options.THREAD_DAEMON, true)
                .getMap());
        OptionMap options = OptionMap.builder().addAll(extra).set(UndertowOptions.ENABLE_HTTP2, true).getMap();
        connection = UndertowClient.getInstance().connect(URI.create("h2c-prior://127.0.0.1:" + port), worker,
                new DefaultByteBufferPool(false, 16 * 1024), options).get();
    }

    /** One request answered: both sides' SETTINGS are applied. */
    private void roundTrip() throws Exception {
        Request r = send(Methods.GET, "/ping");
        r.sent.get(30, TimeUnit.SECONDS);
        assertEquals(204, r.answered.get(30, TimeUnit.SECONDS).getResponse().getResponseCode());
    }

    /** A POST whose body stays open, answered (status and headers) before the body ends. */
    private ClientExchange open(String path) throws Exception {
        Request r = send(Methods.POST, path);
        ClientExchange exchange = r.sent.get(30, TimeUnit.SECONDS);
        if (path.equals("/send") || path.equals("/flood")) {
            connection.getIoThread().execute(() -> { // the request's HEADERS leave with its first flush
                try {
                    exchange.getRequestChannel().flush();
                } catch (IOException e) {
                    r.answered.completeExceptionally(e);
                }
            });
            return r.answered.get(30, TimeUnit.SECONDS);
        }
        return exchange;
    }

    /** A request sent, and its answer. */
    private record Request(CompletableFuture<ClientExchange> sent, CompletableFuture<ClientExchange> answered) {
    }

    private Request send(io.undertow.util.HttpString method, String path) {
        ClientRequest request = new ClientRequest().setMethod(method).setPath(path);
        request.getRequestHeaders().put(Headers.HOST, "127.0.0.1");
        if (method.equals(Methods.POST)) {
            request.getRequestHeaders().put(Headers.TRANSFER_ENCODING, "chunked");
        }
        Request r = new Request(new CompletableFuture<>(), new CompletableFuture<>());
        connection.getIoThread().execute(() -> connection.sendRequest(request, new ClientCallback<>() {
            @Override
            public void completed(ClientExchange exchange) {
                // here, on the I/O thread that reads the response: a listener set later could miss it
                exchange.setResponseListener(callback(r.answered));
                r.sent.complete(exchange);
            }

            @Override
            public void failed(IOException e) {
                r.sent.completeExceptionally(e);
                r.answered.completeExceptionally(e);
            }
        }));
        return r;
    }

    private static ClientCallback<ClientExchange> callback(CompletableFuture<ClientExchange> f) {
        return new ClientCallback<>() {
            @Override
            public void completed(ClientExchange result) {
                f.complete(result);
            }

            @Override
            public void failed(IOException e) {
                f.completeExceptionally(e);
            }
        };
    }
}
