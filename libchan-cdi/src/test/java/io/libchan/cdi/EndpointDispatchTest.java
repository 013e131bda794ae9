package io.libchan.cdi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.libchan.EndOfChannelException;
import io.libchan.ErrorReply;
import io.libchan.Pipe;
import io.libchan.RemoteErrorException;
import io.libchan.Sender;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Endpoint methods served from in-app channels: conversion, replies, errors, the call context. */
class EndpointDispatchTest {
    static TestContainer app;

    record Order(String item, long quantity) {
    }

    record Confirmation(String item, long quantity) {
    }

    record Countdown(int from, Sender ret) {
    }

    @RequestScoped
    static class RequestCounter {
        private static final AtomicInteger CREATED = new AtomicInteger();
        private final int id = CREATED.incrementAndGet();

        int id() {
            return id;
        }
    }

    @ApplicationScoped
    static class Shop {
        @Inject
        ChannelCall call;
        @Inject
        RequestCounter request;

        @ChannelEndpoint("orders")
        Confirmation place(Order order) {
            return new Confirmation(order.item(), order.quantity());
        }

        @ChannelEndpoint("failing")
        String fail(Order order) {
            throw new IllegalArgumentException("no " + order.item() + " today");
        }

        @ChannelEndpoint("numbers")
        void numbers(Map<String, Object> request, Sender reply) {
            for (long i = 1; i <= (Long) request.get("count"); i++) {
                reply.send(i);
            }
            reply.close();
        }

        @ChannelEndpoint("countdown")
        void countdown(Countdown request) {
            for (int i = request.from(); i > 0; i--) {
                request.ret().send(i);
            }
            request.ret().close();
        }

        @ChannelEndpoint("whoami")
        List<Object> whoami() {
            return List.of(call.endpoint(), call.channelName().orElse("-"), call.source(), call.uri().toString(),
                    request.id());
        }
    }

    @BeforeAll
    static void start() {
        app = TestContainer.start(Map.of(
                "libchan.channel.orders.uri", "inmem:orders",
                "libchan.channel.failing.uri", "inmem:failing",
                "libchan.channel.numbers.uri", "inmem:numbers",
                "libchan.channel.countdown.uri", "inmem:countdown",
                "libchan.channel.whoami.uri", "inmem:whoami"), Shop.class, RequestCounter.class);
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    private static Sender channel(String name) {
        return app.select(Sender.class, Channel.Literal.of(name));
    }

    @Test
    void endpointReceivesTheMessageConvertedToItsParameterType() {
        Pipe reply = Pipe.create();
        channel("orders").send(Map.of("item", "tea", "quantity", 2, "ret", reply.sender()));
        assertEquals(new Confirmation("tea", 2), reply.receiver().receive(Confirmation.class, Await.TIMEOUT));
    }

    @Test
    void returnValueIsSentOnTheReplyChannelWhichIsThenClosed() {
        Pipe reply = Pipe.create();
        channel("orders").send(Map.of("item", "cake", "quantity", 1, "ret", reply.sender()));
        reply.receiver().receive(Confirmation.class, Await.TIMEOUT);
        assertThrows(EndOfChannelException.class, () -> reply.receiver().receive(Object.class, Await.TIMEOUT));
    }

    @Test
    void exceptionIsSentAsAnErrorReply() {
        Pipe reply = Pipe.create();
        channel("failing").send(Map.of("item", "soup", "quantity", 1, "ret", reply.sender()));
        RemoteErrorException error = ErrorReply.asError(reply.receiver().receive(Object.class, Await.TIMEOUT))
                .orElseThrow();
        assertEquals(IllegalArgumentException.class.getName(), error.type());
        assertTrue(error.getMessage().contains("no soup today"), error.getMessage());
        assertThrows(EndOfChannelException.class, () -> reply.receiver().receive(Object.class, Await.TIMEOUT));
    }

    @Test
    void replyChannelCanBeTakenAsASecondParameter() {
        Pipe reply = Pipe.create();
        channel("numbers").send(Map.of("count", 3L, "ret", reply.sender()));
        assertEquals(List.of(1L, 2L, 3L), List.of(reply.receiver().receive(Long.class, Await.TIMEOUT),
                reply.receiver().receive(Long.class, Await.TIMEOUT), reply.receiver().receive(Long.class, Await.TIMEOUT)));
        assertThrows(EndOfChannelException.class, () -> reply.receiver().receive(Object.class, Await.TIMEOUT));
    }

    @Test
    void messageRecordDeclaringRetGetsTheReplyChannel() {
        Pipe reply = Pipe.create();
        channel("countdown").send(new Countdown(2, reply.sender()));
        assertEquals(2, reply.receiver().receive(Integer.class, Await.TIMEOUT));
        assertEquals(1, reply.receiver().receive(Integer.class, Await.TIMEOUT));
        assertThrows(EndOfChannelException.class, () -> reply.receiver().receive(Object.class, Await.TIMEOUT));
    }

    @Test
    void eachCallRunsInItsOwnRequestContextDescribedByChannelCall() {
        List<?> first = whoami();
        List<?> second = whoami();
        assertEquals(List.of("whoami", "whoami", "whoami", "inmem:whoami"), first.subList(0, 4));
        assertNotEquals(first.get(4), second.get(4), "a new request context per call");
    }

    private static List<?> whoami() {
        Pipe reply = Pipe.create();
        channel("whoami").send(Map.of("ret", reply.sender()));
        return reply.receiver().receive(List.class, Await.TIMEOUT);
    }

    @Test
    void failureWithoutAReplyChannelIsLogged() throws InterruptedException {
        BlockingQueue<LogRecord> records = new LinkedBlockingQueue<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                records.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger logger = Logger.getLogger("io.libchan.cdi");
        logger.addHandler(handler);
        try {
            channel("failing").send(Map.of("item", "bread", "quantity", 1));
            LogRecord logged = Await.next(records, LogRecord.class, r -> r.getLevel() == Level.WARNING);
            assertTrue(logged.getMessage().contains("failing"), logged.getMessage());
            assertTrue(logged.getThrown().getMessage().contains("no bread today"));
        } finally {
            logger.removeHandler(handler);
        }
    }
}
