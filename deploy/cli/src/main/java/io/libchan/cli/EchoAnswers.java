package io.libchan.cli;

import io.libchan.ByteStream;
import io.libchan.ErrorReply;
import io.libchan.LibchanException;
import io.libchan.MessageListener;
import io.libchan.Messages;
import io.libchan.Pipe;
import io.libchan.Receiver;
import io.libchan.Sender;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Answers one echo message ({@link EchoService} says what the answer is). Nested Receivers are read
 * by subscription, so a message waiting for them holds no thread; the reply goes out once every one
 * of them has ended. Byte streams are copied on {@code copies}, not awaited. Thread-safe, stateless
 * between messages.
 */
final class EchoAnswers {
    private static final Logger LOG = Logger.getLogger(EchoAnswers.class.getName());
    private final Executor executor;
    private final Executor copies;

    EchoAnswers(Executor executor, Executor copies) {
        this.executor = executor;
        this.copies = copies;
    }

    /**
     * Answers {@code message} on {@code ret} (none: the nested channels are still served), closing
     * {@code ret} afterwards when {@code closeRet}. The future completes when the answer was sent or
     * given up on; it never fails. The reply is sent on the thread that finished reading the last
     * nested Receiver (an executor thread), blocking only while the connection takes it.
     */
    CompletableFuture<Void> answer(Object message, Sender ret, boolean closeRet) {
        CompletableFuture<Map<String, Object>> reply;
        try {
            reply = reply(message);
        } catch (RuntimeException e) {
            reply = CompletableFuture.failedFuture(e);
        }
        return reply.handle((fields, error) -> {
            if (ret != null) {
                return send(message, ret, closeRet, fields, error);
            }
            if (error != null) {
                LOG.log(Level.FINE, "echo without a ret failed", error);
            }
            return CompletableFuture.<Void>completedFuture(null);
        }).thenCompose(sent -> sent);
    }

    private CompletableFuture<Map<String, Object>> reply(Object message) {
        Map<String, Object> reply = new LinkedHashMap<>();
        if (!(message instanceof Map)) {
            reply.put("value", message);
            return CompletableFuture.completedFuture(reply);
        }
        List<CompletableFuture<Void>> drains = new ArrayList<>();
        for (Map.Entry<?, ?> e : ((Map<?, ?>) message).entrySet()) {
            String key = String.valueOf(e.getKey());
            Object value = e.getValue();
            if (key.equalsIgnoreCase(Messages.RET) || key.equalsIgnoreCase("sub")) {
                continue;
            }
            if (value instanceof Receiver) {
                List<Object> items = new ArrayList<>();
                reply.put(key, items); // here, so the reply keeps the message's field order
                drains.add(drain((Receiver) value, items));
            } else if (value instanceof ByteStream) {
                echoBytes((ByteStream) value);
            } else if (value instanceof Sender) {
                greet(key, (Sender) value);
            } else {
                reply.put(key, value);
            }
        }
        return CompletableFuture.allOf(drains.toArray(new CompletableFuture<?>[0])).thenApply(none -> reply);
    }

    /** Adds every message of {@code receiver} to {@code items}; completes at its end, fails with its failure. */
    private CompletableFuture<Void> drain(Receiver receiver, List<Object> items) {
        CompletableFuture<Void> ended = new CompletableFuture<>();
        // one call at a time, and the future's completion publishes the list to the reply's sender
        receiver.subscribe(Object.class, executor, new MessageListener<>() {
            @Override
            public void onMessage(Object item) {
                items.add(item);
            }

            @Override
            public void onEnd() {
                ended.complete(null);
            }

            @Override
            public void onError(LibchanException error) {
                ended.completeExceptionally(error);
            }
        });
        return ended;
    }

    private static void greet(String field, Sender sender) {
        Map<String, Object> hello = new LinkedHashMap<>();
        hello.put("From", "java");
        hello.put("Field", field);
        // a fresh channel: its window is open, so this goes out at once
        sender.sendAsync(hello).whenComplete((done, error) -> sender.close());
    }

    /** Sends the answer (or the error reply) on {@code ret} without waiting; completes once it went out or failed. */
    private CompletableFuture<Void> send(Object message, Sender ret, boolean closeRet, Map<String, Object> fields,
            Throwable error) {
        CompletableFuture<Void> sent;
        if (error == null) {
            if (Messages.flag(message, "sub")) {
                fields.put("sub", sub());
            }
            sent = sendAsync(ret, fields).exceptionallyCompose(e -> sendError(ret, e)); // e.g. too large: the caller still learns why
        } else {
            sent = sendError(ret, error);
        }
        return closeRet ? sent.whenComplete((done, e) -> ret.close()) : sent;
    }

    private static CompletableFuture<Void> sendError(Sender ret, Throwable error) {
        Throwable cause = unwrap(error);
        LOG.log(Level.FINE, "echo failed", cause);
        return sendAsync(ret, ErrorReply.of(cause)).exceptionally(again -> {
            LOG.log(Level.FINE, "error reply failed too", again);
            return null;
        });
    }

    private static CompletableFuture<Void> sendAsync(Sender ret, Object reply) {
        try {
            return ret.sendAsync(reply);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private static Throwable unwrap(Throwable error) {
        Throwable e = error;
        while (e instanceof CompletionException && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }

    /** A channel carrying {@code {i, from: "java"}} three times, then its end; buffered, so filling it never waits. */
    private static Receiver sub() {
        Pipe sub = Pipe.buffered(3);
        for (int i = 0; i < 3; i++) {
            Map<String, Object> event = new LinkedHashMap<>();
            event.put("i", i);
            event.put("from", "java");
            sub.sender().send(event);
        }
        sub.sender().close();
        return sub.receiver();
    }

    /**
     * Echoes {@code stream} byte for byte on {@code copies}. ByteStream is blocking-only, so the copy
     * holds one of those threads until the peer ends its side: bounded by that executor, not by us.
     */
    private void echoBytes(ByteStream stream) {
        try {
            copies.execute(() -> {
                try (InputStream in = stream.input(); OutputStream out = stream.output()) {
                    in.transferTo(out);
                } catch (IOException e) {
                    LOG.log(Level.FINE, "byte stream echo failed", e);
                }
            });
        } catch (RejectedExecutionException e) {
            stream.close(); // shutting down
        }
    }
}
