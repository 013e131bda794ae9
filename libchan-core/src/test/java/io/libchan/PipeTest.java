package io.libchan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.libchan.testing.Parked;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class PipeTest {
    record Request(String cmd, Sender ret) {
    }

    @Test
    void unbufferedSendReturnsOnlyOnceReceived() throws Exception {
        Pipe pipe = Pipe.create();
        CompletableFuture<Void> sent = new CompletableFuture<>();
        Thread sender = start(() -> {
            pipe.sender().send("hello");
            sent.complete(null);
        });
        Parked.await(sender);
        assertFalse(sent.isDone(), "the send waits for a receiver");
        assertEquals("hello", pipe.receiver().receive());
        sent.get(5, TimeUnit.SECONDS);
    }

    @Test
    void bufferedSendReturnsUntilBufferIsFull() {
        Pipe pipe = Pipe.buffered(2);
        pipe.sender().send(1);
        pipe.sender().send(2);
        assertThrows(ChannelTimeoutException.class, () -> pipe.sender().send(3, Duration.ofMillis(100)));
        assertEquals(1, pipe.receiver().receive());
        assertEquals(2, pipe.receiver().receive());
        assertThrows(ChannelTimeoutException.class, () -> pipe.receiver().receive(Object.class, Duration.ofMillis(50)),
                "the timed-out send must not have been delivered");
    }

    @Test
    void receiverGetsTheSameObjectThatWasSent() {
        Pipe pipe = Pipe.buffered(1);
        Pipe reply = Pipe.create();
        Request request = new Request("hi", reply.sender());
        pipe.sender().send(request);
        Request got = pipe.receiver().receive(Request.class);
        assertSame(request, got);
    }

    @Test
    void receiverSeesEndAfterSenderClosesAndAllMessagesWereTaken() {
        Pipe pipe = Pipe.buffered(2);
        pipe.sender().send("a");
        pipe.sender().send("b");
        pipe.sender().close();
        assertEquals("a", pipe.receiver().receive());
        assertEquals("b", pipe.receiver().receive());
        assertThrows(EndOfChannelException.class, () -> pipe.receiver().receive());
        assertThrows(EndOfChannelException.class, () -> pipe.receiver().receive(), "end is sticky");
    }

    @Test
    void sendAfterCloseThrowsTypedException() {
        Pipe pipe = Pipe.create();
        pipe.sender().close();
        pipe.sender().close(); // idempotent, unlike Go
        assertThrows(ChannelClosedException.class, () -> pipe.sender().send("late"));
    }

    @Test
    void blockedReceiverWakesUpWithEndWhenSenderCloses() throws Exception {
        Pipe pipe = Pipe.create();
        CompletableFuture<Object> receiving = new CompletableFuture<>();
        Parked.await(start(() -> {
            try {
                receiving.complete(pipe.receiver().receive());
            } catch (RuntimeException e) {
                receiving.completeExceptionally(e);
            }
        }));
        pipe.sender().close();
        Exception e = assertThrows(Exception.class, () -> receiving.get(5, TimeUnit.SECONDS));
        assertInstanceOf(EndOfChannelException.class, e.getCause());
    }

    @Test
    void receiverCloseFailsBlockedAndLaterSends() throws Exception {
        Pipe pipe = Pipe.create();
        CompletableFuture<Void> sending = new CompletableFuture<>();
        Parked.await(start(() -> {
            try {
                pipe.sender().send("x");
                sending.complete(null);
            } catch (RuntimeException e) {
                sending.completeExceptionally(e);
            }
        }));
        pipe.receiver().close();
        Exception e = assertThrows(Exception.class, () -> sending.get(5, TimeUnit.SECONDS));
        assertInstanceOf(ChannelClosedException.class, e.getCause());
        assertThrows(ChannelClosedException.class, () -> pipe.sender().send("y"));
        assertThrows(ChannelClosedException.class, () -> pipe.receiver().receive());
    }

    @Test
    void receiveTimesOutWithoutTakingAnything() {
        Pipe pipe = Pipe.buffered(1);
        assertThrows(ChannelTimeoutException.class, () -> pipe.receiver().receive(Object.class, Duration.ofMillis(30)));
        pipe.sender().send("later");
        assertEquals("later", pipe.receiver().receive(String.class, Duration.ofSeconds(1)));
    }

    @Test
    void interruptedReceiveIsWithdrawnAndKeepsInterruptStatus() throws Exception {
        Pipe pipe = Pipe.buffered(1);
        AtomicReference<Throwable> error = new AtomicReference<>();
        AtomicReference<Boolean> flag = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                pipe.receiver().receive();
            } catch (Throwable e) {
                error.set(e);
                flag.set(Thread.currentThread().isInterrupted());
            }
        });
        t.start();
        Parked.await(t);
        t.interrupt();
        t.join(5000);
        assertInstanceOf(ChannelInterruptedException.class, error.get());
        assertTrue(flag.get());
        pipe.sender().send("kept");
        assertEquals("kept", pipe.receiver().receive(Object.class, Duration.ofSeconds(1)));
    }

    @Test
    void cancelledAsyncReceiveTakesNothing() {
        Pipe pipe = Pipe.buffered(1);
        CompletableFuture<String> f = pipe.receiver().receiveAsync(String.class);
        assertTrue(f.cancel(false));
        pipe.sender().send("for the next one");
        assertEquals("for the next one", pipe.receiver().receive(String.class, Duration.ofSeconds(1)));
    }

    @Test
    void cancelledAsyncSendIsNeverDelivered() {
        Pipe pipe = Pipe.create();
        CompletableFuture<Void> f = pipe.sender().sendAsync("withdrawn");
        assertFalse(f.isDone());
        assertTrue(f.cancel(false));
        assertThrows(ChannelTimeoutException.class, () -> pipe.receiver().receive(Object.class, Duration.ofMillis(50)));
    }

    @Test
    void asyncSendCompletesWhenReceived() throws Exception {
        Pipe pipe = Pipe.create();
        CompletableFuture<Void> f = pipe.sender().sendAsync("m");
        assertFalse(f.isDone());
        assertEquals("m", pipe.receiver().receive());
        f.get(1, TimeUnit.SECONDS);
    }

    @Test
    void nullMessagesPassThrough() {
        Pipe pipe = Pipe.buffered(1);
        pipe.sender().send(null);
        assertNull(pipe.receiver().receive());
    }

    @Test
    void recordIsConvertedToMapWithChannelsKept() {
        Pipe pipe = Pipe.buffered(1);
        Pipe reply = Pipe.create();
        pipe.sender().send(new Request("hi", reply.sender()));
        @SuppressWarnings("unchecked")
        Map<String, Object> map = pipe.receiver().receive(Map.class);
        assertEquals("hi", map.get("cmd"));
        assertSame(reply.sender(), map.get("ret"));
    }

    @Test
    void mapIsConvertedToRecordMatchingNamesIgnoringCase() {
        Pipe pipe = Pipe.buffered(1);
        Pipe reply = Pipe.create();
        pipe.sender().send(Map.of("Cmd", "hi", "Ret", reply.sender()));
        Request r = pipe.receiver().receive(Request.class);
        assertEquals("hi", r.cmd());
        assertSame(reply.sender(), r.ret());
    }

    record Timed(Instant when, byte[] data, List<Object> list) {
    }

    @Test
    void typeMismatchKeepsTheMessage() {
        Pipe pipe = Pipe.buffered(1);
        pipe.sender().send("not a record");
        MessageTypeException e = assertThrows(MessageTypeException.class, () -> pipe.receiver().receive(Request.class));
        assertEquals("not a record", e.untypedMessage());
    }

    @Test
    void listenerGetsEveryMessageThenEnd() throws Exception {
        Pipe pipe = Pipe.create();
        CountDownLatch end = new CountDownLatch(1);
        List<String> got = new java.util.concurrent.CopyOnWriteArrayList<>();
        pipe.receiver().subscribe(String.class, Runnable::run, new MessageListener<>() {
            @Override
            public void onMessage(String message) {
                got.add(message);
            }

            @Override
            public void onEnd() {
                end.countDown();
            }
        });
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            pipe.sender().send("a");
            pipe.sender().send("b");
            pipe.sender().close();
            assertTrue(end.await(5, TimeUnit.SECONDS));
        });
        assertEquals(List.of("a", "b"), got);
    }

    /** Runs {@code body} on a thread of its own, which a test can wait to see blocked. */
    private static Thread start(Runnable body) {
        Thread t = new Thread(body, "pipe-test");
        t.setDaemon(true);
        t.start();
        return t;
    }
}
