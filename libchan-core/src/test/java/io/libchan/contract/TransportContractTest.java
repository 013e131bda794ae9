package io.libchan.contract;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.libchan.ByteStream;
import io.libchan.BytePipe;
import io.libchan.ChannelClosedException;
import io.libchan.ConnectionLostException;
import io.libchan.EndOfChannelException;
import io.libchan.LibchanException;
import io.libchan.Pipe;
import io.libchan.Receiver;
import io.libchan.Sender;
import io.libchan.Transport;
import io.libchan.TransportInfo;
import io.libchan.testing.Parked;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The behaviour every transport must show, whatever carries it (rsocket-java runs one suite over
 * all its transports the same way). A transport module extends this class and says how to make a
 * connected pair. Nothing here depends on objects being passed by reference, so network
 * transports run it unchanged.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public abstract class TransportContractTest {
    protected static final Duration WAIT = Duration.ofSeconds(20);
    protected TransportPair pair;
    protected Transport client;
    protected Transport server;
    protected final ExecutorService pool = Executors.newCachedThreadPool();

    /** A freshly connected client and server session. */
    protected abstract TransportPair connect() throws Exception;

    /**
     * What both sides' {@link Transport#info()} name the transport: the scheme dialled, {@code inmem}
     * in memory; null (the default) checks only that it is named.
     */
    protected String transportName() {
        return null;
    }

    @BeforeEach
    void setUpPair() throws Exception {
        pair = connect();
        client = pair.client();
        server = pair.server();
    }

    @AfterEach
    void tearDownPair() throws Exception {
        pool.shutdownNow();
        pair.close();
    }

    public record Request(String cmd, Sender ret) {
    }

    public record Reply(String cmd, int n) {
    }

    @Test
    void infoNamesTheTransportThePeerAndCountsTheMessages() throws Exception {
        Sender out = client.newSendChannel();
        out.send(Map.of("cmd", "count", "n", 1));
        out.send(Map.of("cmd", "count", "n", 2));
        Receiver in = server.waitReceiveChannel(WAIT);
        assertEquals(new Reply("count", 1), in.receive(Reply.class, WAIT));
        assertEquals(new Reply("count", 2), in.receive(Reply.class, WAIT));

        TransportInfo c = client.info();
        TransportInfo s = server.info();
        String name = transportName() != null ? transportName() : c.transport();
        assertTrue(!name.equals("unknown"), c.toString());
        assertEquals(name, c.transport(), c.toString());
        assertEquals(name, s.transport(), s.toString());
        assertEquals(2, c.messagesSent(), c.toString());
        assertEquals(2, s.messagesReceived(), s.toString());
        assertEquals(0, s.messagesSent(), s.toString());
        assertTrue(s.openChannels() >= 1, "the channel is open: " + s);
        if (!name.equals("inmem")) {
            assertTrue(c.peerAddress().isPresent() && s.peerAddress().isPresent(), c + " / " + s);
            assertTrue(c.bytesSent() > 0 && s.bytesReceived() > 0, c + " / " + s);
        }
    }

    @Test
    void channelsCanBeAcceptedWithoutParkingAThread() throws Exception {
        CompletableFuture<Receiver> withdrawn = server.receiveChannelAsync();
        assertTrue(withdrawn.cancel(false), "a future nobody completed yet can be withdrawn");
        CompletableFuture<Receiver> next = server.receiveChannelAsync();
        Sender out = client.newSendChannel();
        out.send(Map.of("cmd", "async", "n", 2));
        Receiver in = next.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertEquals(new Reply("async", 2), in.receive(Reply.class, WAIT));
        client.close();
        java.util.concurrent.ExecutionException ended = assertThrows(java.util.concurrent.ExecutionException.class,
                () -> server.receiveChannelAsync().get(WAIT.toSeconds(), TimeUnit.SECONDS));
        assertInstanceOf(LibchanException.class, ended.getCause(), "the session's end fails the future with a libchan error");
    }

    @Test
    void messageOnTopLevelChannelArrives() {
        Sender out = client.newSendChannel();
        out.send(Map.of("cmd", "hello", "n", 1));
        Receiver in = server.waitReceiveChannel(WAIT);
        Reply r = in.receive(Reply.class, WAIT);
        assertEquals(new Reply("hello", 1), r);
    }

    @Test
    void messagesOnOneChannelArriveInOrder() {
        Sender out = client.newSendChannel();
        CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> {
            for (int i = 0; i < 500; i++) {
                out.send(new Reply("m", i));
            }
            out.close();
        }, pool);
        Receiver in = server.waitReceiveChannel(WAIT);
        for (int i = 0; i < 500; i++) {
            assertEquals(i, in.receive(Reply.class, WAIT).n());
        }
        assertThrows(EndOfChannelException.class, () -> in.receive(Object.class, WAIT));
        sending.join();
    }

    @Test
    void serverRepliesOnNestedReplyChannel() {
        Pipe reply = Pipe.create();
        Sender out = client.newSendChannel();
        CompletableFuture<Void> serving = CompletableFuture.runAsync(() -> {
            Receiver in = server.waitReceiveChannel(WAIT);
            Request req = in.receive(Request.class, WAIT);
            req.ret().send(new Reply(req.cmd(), 42));
            req.ret().close();
        }, pool);
        out.send(new Request("hi", reply.sender()));
        assertEquals(new Reply("hi", 42), reply.receiver().receive(Reply.class, WAIT));
        assertThrows(EndOfChannelException.class, () -> reply.receiver().receive(Object.class, WAIT));
        serving.join();
    }

    public record Upload(Receiver up, Sender ret) {
    }

    @Test
    void clientHandsServerAReceiverToDrain() {
        Pipe up = Pipe.create();
        Pipe reply = Pipe.create();
        CompletableFuture<Void> serving = CompletableFuture.runAsync(() -> {
            Upload u = server.waitReceiveChannel(WAIT).receive(Upload.class, WAIT);
            int count = 0;
            try {
                while (true) {
                    u.up().receive(Reply.class, WAIT);
                    count++;
                }
            } catch (EndOfChannelException end) {
                u.ret().send(new Reply("count", count));
                u.ret().close();
            }
        }, pool);
        client.newSendChannel().send(new Upload(up.receiver(), reply.sender()));
        for (int i = 0; i < 3; i++) {
            up.sender().send(new Reply("item", i));
        }
        up.sender().close();
        assertEquals(new Reply("count", 3), reply.receiver().receive(Reply.class, WAIT));
        serving.join();
    }

    public record Subscribed(Receiver sub) {
    }

    @Test
    void serverSendsBackANewChannelItCreated() {
        Pipe reply = Pipe.create();
        CompletableFuture<Void> serving = CompletableFuture.runAsync(() -> {
            Request req = server.waitReceiveChannel(WAIT).receive(Request.class, WAIT);
            Pipe events = Pipe.create();
            req.ret().send(new Subscribed(events.receiver()));
            for (int i = 0; i < 3; i++) {
                events.sender().send(new Reply("event", i));
            }
            events.sender().close();
            req.ret().close();
        }, pool);
        client.newSendChannel().send(new Request("subscribe", reply.sender()));
        Subscribed s = reply.receiver().receive(Subscribed.class, WAIT);
        List<Integer> got = new ArrayList<>();
        try {
            while (true) {
                got.add(s.sub().receive(Reply.class, WAIT).n());
            }
        } catch (EndOfChannelException end) {
            // all events seen
        }
        assertEquals(List.of(0, 1, 2), got);
        serving.join();
    }

    public record WithBytes(ByteStream bytes) {
    }

    @Test
    void byteStreamIsEchoedAndHalfClosed() throws Exception {
        BytePipe bytes = BytePipe.create();
        CompletableFuture<Void> serving = CompletableFuture.runAsync(() -> {
            WithBytes m = server.waitReceiveChannel(WAIT).receive(WithBytes.class, WAIT);
            try (InputStream in = m.bytes().input(); OutputStream out = m.bytes().output()) {
                in.transferTo(out);
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        }, pool);
        client.newSendChannel().send(new WithBytes(bytes.remote()));
        byte[] payload = new byte[300_000];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) (i * 31);
        }
        CompletableFuture<byte[]> echoed = CompletableFuture.supplyAsync(() -> {
            try {
                ByteArrayOutputStream got = new ByteArrayOutputStream();
                bytes.local().input().transferTo(got);
                return got.toByteArray();
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        }, pool);
        bytes.local().output().write(payload);
        bytes.local().closeWrite();
        assertArrayEquals(payload, echoed.get(WAIT.toSeconds(), TimeUnit.SECONDS));
        serving.join();
    }

    @Test
    void aWriterMayReuseItsBufferAsSoonAsWriteReturns() throws Exception {
        // small writes in quick succession are coalesced: the library must not keep the caller's array
        BytePipe bytes = BytePipe.create();
        CompletableFuture<byte[]> serving = CompletableFuture.supplyAsync(() -> {
            WithBytes m = server.waitReceiveChannel(WAIT).receive(WithBytes.class, WAIT);
            try (InputStream in = m.bytes().input()) {
                m.bytes().closeWrite();
                return in.readAllBytes();
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        }, pool);
        client.newSendChannel().send(new WithBytes(bytes.remote()));
        byte[] chunk = new byte[100];
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        OutputStream out = bytes.local().output();
        for (int i = 0; i < 2000; i++) {
            java.util.Arrays.fill(chunk, (byte) i);
            out.write(chunk);
            expected.write(chunk);
        }
        bytes.local().closeWrite();
        assertArrayEquals(expected.toByteArray(), serving.get(WAIT.toSeconds(), TimeUnit.SECONDS));
    }

    @Test
    void bytesWrittenBeforeTheStreamWasSentArriveFirst() throws Exception {
        BytePipe bytes = BytePipe.create();
        bytes.local().output().write("early ".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        CompletableFuture<String> serving = CompletableFuture.supplyAsync(() -> {
            WithBytes m = server.waitReceiveChannel(WAIT).receive(WithBytes.class, WAIT);
            try (InputStream in = m.bytes().input()) {
                m.bytes().closeWrite();
                return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        }, pool);
        client.newSendChannel().send(new WithBytes(bytes.remote()));
        bytes.local().output().write("late".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        bytes.local().closeWrite();
        assertEquals("early late", serving.get(WAIT.toSeconds(), TimeUnit.SECONDS));
        assertEquals(-1, bytes.local().input().read(), "the server half-closed its side");
    }

    @Test
    void receiverSeesEndAfterSenderCloses() {
        Sender out = client.newSendChannel();
        out.send("last");
        out.close();
        Receiver in = server.waitReceiveChannel(WAIT);
        assertEquals("last", in.receive(String.class, WAIT));
        assertThrows(EndOfChannelException.class, () -> in.receive(Object.class, WAIT));
    }

    @Test
    void sendAfterCloseFailsWithChannelClosed() {
        Sender out = client.newSendChannel();
        out.close();
        assertThrows(ChannelClosedException.class, () -> out.send("late"));
    }

    @Test
    void channelsOpenedFromBothSides() {
        Sender fromServer = server.newSendChannel();
        fromServer.send(new Reply("from-server", 2));
        assertEquals(new Reply("from-server", 2), client.waitReceiveChannel(WAIT).receive(Reply.class, WAIT));
    }

    @Test
    void manyConcurrentRequestsEachGetTheirOwnReply() throws Exception {
        int clients = 16;
        int perClient = 50;
        CompletableFuture<Void> serving = CompletableFuture.runAsync(() -> {
            for (int c = 0; c < clients; c++) {
                Receiver in = server.waitReceiveChannel(WAIT);
                pool.execute(() -> {
                    try {
                        while (true) {
                            Request req = in.receive(Request.class, WAIT);
                            req.ret().send(new Reply(req.cmd(), req.cmd().length()));
                            req.ret().close();
                        }
                    } catch (EndOfChannelException | ChannelClosedException end) {
                        // this client is done
                    }
                });
            }
        }, pool);
        List<CompletableFuture<Void>> callers = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int id = c;
            callers.add(CompletableFuture.runAsync(() -> {
                Sender out = client.newSendChannel();
                for (int i = 0; i < perClient; i++) {
                    String cmd = "c" + id + "-" + "x".repeat(i);
                    Pipe reply = Pipe.create();
                    out.send(new Request(cmd, reply.sender()));
                    assertEquals(new Reply(cmd, cmd.length()), reply.receiver().receive(Reply.class, WAIT));
                }
                out.close();
            }, pool));
        }
        CompletableFuture.allOf(callers.toArray(new CompletableFuture<?>[0])).get(WAIT.toSeconds() * 2, TimeUnit.SECONDS);
        serving.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    @Test
    void namedChannelCarriesItsName() {
        client.newSendChannel("orders").send("o1");
        Receiver in = server.waitReceiveChannel(WAIT);
        assertEquals("orders", in.channelName().orElse(null));
        assertEquals("o1", in.receive(String.class, WAIT));
    }

    @Test
    void aMessageLongerThanTheWindowBehindAnUnreadOneArrivesOnceThatOneIsTaken() throws Exception {
        // the first message waits unread while the first megabyte of the second arrives: that part
        // is credited only when the first is taken, or the second could never complete
        Sender out = client.newSendChannel();
        out.send(Map.of("n", 1));
        byte[] big = new byte[3 * 1024 * 1024];
        new java.util.Random(11).nextBytes(big);
        CompletableFuture<Void> sent = new CompletableFuture<>();
        Thread sender = new Thread(() -> {
            try {
                out.send(Map.of("blob", big));
                sent.complete(null);
            } catch (RuntimeException e) {
                sent.completeExceptionally(e);
            }
        }, "contract-big-send");
        sender.start();
        Receiver in = server.waitReceiveChannel(WAIT);
        Parked.awaitOrEnd(sender); // waiting for credit (or, on a transport without windows, done)
        assertEquals(1, ((Number) in.receive(Map.class, WAIT).get("n")).intValue());
        @SuppressWarnings("unchecked")
        Map<String, Object> got = in.receive(Map.class, WAIT);
        assertArrayEquals(big, (byte[]) got.get("blob"));
        sent.get(10, TimeUnit.SECONDS);
    }

    @Test
    void largeMessageArrivesWhole() {
        byte[] big = new byte[2 * 1024 * 1024];
        new java.util.Random(7).nextBytes(big);
        client.newSendChannel().send(Map.of("blob", big));
        @SuppressWarnings("unchecked")
        Map<String, Object> got = server.waitReceiveChannel(WAIT).receive(Map.class, WAIT);
        assertArrayEquals(big, (byte[]) got.get("blob"));
    }

    @Test
    void abortFailsPendingReceiveWithConnectionLost() throws Exception {
        Sender out = client.newSendChannel();
        out.send("first");
        Receiver in = server.waitReceiveChannel(WAIT);
        assertEquals("first", in.receive(String.class, WAIT));
        CompletableFuture<Object> pending = CompletableFuture.supplyAsync(() -> in.receive(Object.class, WAIT), pool);
        client.abort();
        Exception e = assertThrows(Exception.class, () -> pending.get(WAIT.toSeconds(), TimeUnit.SECONDS));
        assertInstanceOf(ConnectionLostException.class, e.getCause());
        LibchanException after = assertThrows(LibchanException.class, () -> out.send("after"));
        assertTrue(after instanceof ConnectionLostException || after instanceof ChannelClosedException, after.toString());
    }

    @Test
    void closeFutureCompletesOnBothSidesAfterAGracefulClose() throws Exception {
        CompletableFuture<Void> serverEnd = server.closeFuture();
        assertTrue(!serverEnd.isDone(), "open: " + serverEnd);
        client.close();
        client.closeFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        serverEnd.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    @Test
    void closeFutureFailsWithConnectionLostWhenThePeerAborts() {
        CompletableFuture<Void> serverEnd = server.closeFuture();
        client.abort();
        java.util.concurrent.ExecutionException e = assertThrows(java.util.concurrent.ExecutionException.class,
                () -> serverEnd.get(WAIT.toSeconds(), TimeUnit.SECONDS));
        assertInstanceOf(ConnectionLostException.class, e.getCause());
    }

    @Test
    void closedSessionRefusesNewChannelsAndEndsAccept() {
        client.close();
        assertThrows(LibchanException.class, () -> client.newSendChannel().send("x"));
        assertThrows(ChannelClosedException.class, () -> server.waitReceiveChannel(WAIT));
    }
}
