package io.libchan.example.echo;

import io.libchan.ByteStream;
import io.libchan.ErrorReply;
import io.libchan.Messages;
import io.libchan.Pipe;
import io.libchan.Receiver;
import io.libchan.Sender;
import io.libchan.cdi.ChannelEndpoint;
import io.libchan.example.ExampleThreads;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.BeforeDestroyed;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Reception;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The echo protocol every libchan peer of this project serves (README, "The CLI"), as an endpoint,
 * so Go libchan and jschan (which cannot name channels) reach it as a server's default endpoint.
 * For each message: the reply on its {@code ret} holds its plain fields; a {@code Receiver} field is
 * read to its end and returned as a list under the same key; a byte stream is echoed byte for byte
 * until its end, then closed; {@code sub: true} adds a channel {@code sub} carrying
 * {@code {i, from: "java"}} three times; any other {@code Sender} field gets
 * {@code {"From": "java", "Field": name}} and is closed. {@code ret} is closed after the reply; a
 * failure (a nested channel that fails, stays silent for {@link NestedList#IDLE_LIMIT} or carries more
 * than {@link NestedList#MAX_ITEMS} messages) is answered with an error reply.
 *
 * <p>Unlike {@code libchan.jar echo}, {@code keep} is not served: it makes later messages of a channel
 * answer on an earlier message's {@code ret}, state per channel that an endpoint method, called once
 * per message, does not have.
 *
 * <p><b>Threads.</b> The method takes the reply channel, so it can answer later: it returns at once,
 * nested Receivers are read by subscription and the reply is sent when the last one has ended, so
 * a message waiting for its Receivers holds no thread. Byte streams are echoed on
 * {@link ExampleThreads#streams()} (blocking copies, one thread per open stream, bounded by that
 * pool), so the reply does not wait for the client to end its stream; when the application stops
 * they are closed (before libchan-cdi drains the sessions), so the client reads their end instead of
 * its session being cut. Thread-safe.
 */
@ApplicationScoped
public class EchoEndpoint {
    private static final Logger LOG = Logger.getLogger(EchoEndpoint.class.getName());

    @Inject
    ExampleThreads threads;

    private final Set<ByteStream> echoing = ConcurrentHashMap.newKeySet();
    private volatile boolean stopping;

    @ChannelEndpoint("echo")
    public void echo(Object message, Sender ret) {
        CompletableFuture<Map<String, Object>> reply;
        try {
            reply = reply(message);
        } catch (RuntimeException e) {
            reply = CompletableFuture.failedFuture(e);
        }
        reply.whenComplete((fields, error) -> answer(ret, fields, error));
    }

    private CompletableFuture<Map<String, Object>> reply(Object message) {
        Map<String, Object> reply = new LinkedHashMap<>();
        if (!(message instanceof Map)) {
            reply.put("value", message);
            return CompletableFuture.completedFuture(reply);
        }
        List<CompletableFuture<List<Object>>> lists = new ArrayList<>();
        List<String> listKeys = new ArrayList<>();
        for (Map.Entry<?, ?> e : ((Map<?, ?>) message).entrySet()) {
            String key = String.valueOf(e.getKey());
            Object value = e.getValue();
            if (key.equalsIgnoreCase(Messages.RET) || key.equalsIgnoreCase("sub")) {
                continue;
            }
            if (value instanceof Receiver) {
                reply.put(key, null); // its place in the reply; the list comes once the channel has ended
                listKeys.add(key);
                lists.add(NestedList.of((Receiver) value, threads.executor(), threads.scheduler()));
            } else if (value instanceof ByteStream) {
                echoLater((ByteStream) value);
            } else if (value instanceof Sender) {
                greet(key, (Sender) value);
            } else {
                reply.put(key, value);
            }
        }
        if (Messages.flag(message, "sub")) {
            reply.put("sub", sub());
        }
        return CompletableFuture.allOf(lists.toArray(new CompletableFuture<?>[0])).thenApply(none -> {
            for (int i = 0; i < lists.size(); i++) {
                reply.put(listKeys.get(i), lists.get(i).join());
            }
            return reply;
        });
    }

    /** Sends the reply (or the error) without waiting for the caller to take it, then closes {@code ret}. */
    private static void answer(Sender ret, Map<String, Object> fields, Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (ret == null) {
            if (cause != null) {
                LOG.log(Level.WARNING, "echo of a message without a reply channel failed", cause);
            }
            return;
        }
        Object answer = cause == null ? fields : ErrorReply.of(cause);
        try {
            ret.sendAsync(answer).whenComplete((sent, failed) -> {
                if (failed != null) {
                    LOG.log(Level.FINE, "the echo's caller went away", failed);
                }
                ret.close();
            });
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "the echo's caller went away", e);
            ret.close();
        }
    }

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

    private static void greet(String field, Sender sender) {
        Map<String, Object> hello = new LinkedHashMap<>();
        hello.put("From", "java");
        hello.put("Field", field);
        try {
            sender.sendAsync(hello).whenComplete((sent, failed) -> sender.close());
        } catch (RuntimeException e) {
            sender.close();
            throw e;
        }
    }

    private void echoLater(ByteStream stream) {
        echoing.add(stream);
        if (stopping) {
            stream.close();
            echoing.remove(stream);
            return;
        }
        try {
            // busy for as long as the client keeps the stream open: bounded by the streams' pool
            threads.streams().execute(() -> echoBytes(stream));
        } catch (RejectedExecutionException e) {
            stream.close();
            echoing.remove(stream);
        }
    }

    private void echoBytes(ByteStream stream) {
        byte[] buffer = new byte[32 * 1024];
        try (InputStream in = stream.input(); OutputStream out = stream.output()) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            LOG.log(Level.FINE, "byte stream echo ended: " + e.getMessage(), e);
        } finally {
            echoing.remove(stream);
        }
    }

    /** Closes the streams still being echoed, before libchan-cdi drains the sessions (a lower priority runs first). */
    void stop(@Observes(notifyObserver = Reception.IF_EXISTS) @Priority(Interceptor.Priority.APPLICATION)
              @BeforeDestroyed(ApplicationScoped.class) Object event) {
        stopping = true;
        echoing.forEach(ByteStream::close);
    }
}
