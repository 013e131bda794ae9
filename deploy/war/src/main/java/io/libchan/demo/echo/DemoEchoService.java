package io.libchan.demo.echo;

import io.libchan.ByteStream;
import io.libchan.ChannelClosedException;
import io.libchan.EndOfChannelException;
import io.libchan.ErrorReply;
import io.libchan.LibchanException;
import io.libchan.Listener;
import io.libchan.Messages;
import io.libchan.Pipe;
import io.libchan.Receiver;
import io.libchan.Sender;
import io.libchan.Transport;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Serves the echo protocol of the README ("The CLI", {@code echo --listen}) on every top-level channel
 * of every session a {@link Listener} accepts. For each message: reply on its {@code ret} (any case)
 * with its plain fields; a {@link Receiver} field is read to its end and its messages come back as a
 * list under the same key; a {@link ByteStream} field is echoed byte for byte until end-of-stream,
 * then closed; {@code sub: true} makes a new channel, sent back as {@code sub}, that carries
 * {@code {i, from: "java"}} three times and then ends; any other {@link Sender} field gets
 * {@code {"From": "java", "Field": name}} and is closed. {@code ret} is closed after the reply unless
 * {@code keep} is true: then later messages without a {@code ret} are answered on it. A failure is
 * answered with an {@link ErrorReply}.
 *
 * <p><b>Threads.</b> The accept loop, each session's loop, each channel and each byte-stream echo is
 * one task on the executor given, holding its thread while it lasts (they block on the network). A
 * task the executor rejects is not run: its session is aborted, its channel or stream closed.
 *
 * <p><b>Lifecycle.</b> Serving from {@link #start} until {@link #close(Duration)}, which ends every
 * session cleanly (see there). Thread-safe.
 */
public final class DemoEchoService {
    /** Most messages read from one nested channel for one reply. */
    static final int MAX_DRAINED = 10_000;
    private static final Logger LOG = Logger.getLogger(DemoEchoService.class.getName());

    private final Listener listener;
    private final Executor executor;
    private final Set<Transport> sessions = ConcurrentHashMap.newKeySet();
    // What tasks are blocked on or hold open, closed by close() in this order: top-level channels
    // (RST), kept reply channels (FIN), then nested channels and byte streams. Only close() ends a
    // kept reply channel once closing, so the resets are on the wire before the ends of the reply
    // channels: a client that saw its reply channel end knows its own channel was reset too.
    private final Set<AutoCloseable> channels = ConcurrentHashMap.newKeySet();
    private final Set<AutoCloseable> keptReplies = ConcurrentHashMap.newKeySet();
    private final Set<AutoCloseable> nested = ConcurrentHashMap.newKeySet();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition idle = lock.newCondition();
    private int running; // guarded by lock
    private volatile boolean closing;

    private DemoEchoService(Listener listener, Executor executor) {
        this.listener = listener;
        this.executor = executor;
    }

    /**
     * Starts serving {@code listener}, which this service owns from now on.
     *
     * @throws RejectedExecutionException when the executor has no thread for the accept loop
     */
    public static DemoEchoService start(Listener listener, Executor executor) {
        DemoEchoService service = new DemoEchoService(listener, executor);
        if (!service.submit(service::acceptLoop)) {
            listener.close();
            throw new RejectedExecutionException("no thread for the accept loop of " + listener.uri());
        }
        return service;
    }

    /** Sessions being served now. */
    public int openSessions() {
        return (int) sessions.stream().filter(Transport::isOpen).count();
    }

    /**
     * Stops serving, as on undeploy, and returns once every task of this service has ended. In order:
     * the listener closes (new connections are refused); every session gets a GOAWAY (the client can
     * open no new channel, and its {@code waitReceiveChannel} ends with
     * {@link ChannelClosedException}); every channel, nested channel and byte stream being served is
     * closed, so the client's sends on them fail with {@link ChannelClosedException} and the reply
     * channels it kept open see {@link EndOfChannelException}; with no stream left, each session
     * ends and closes its connection. Work still running after {@code grace} has its session aborted
     * (the client sees {@link io.libchan.ConnectionLostException}). Idempotent.
     *
     * @return true when every task ended, false when some was still running a second after the abort
     */
    public boolean close(Duration grace) {
        closing = true;
        listener.close();
        sessions.forEach(Transport::close);
        closeInUse();
        if (awaitIdle(grace)) {
            return true;
        }
        LOG.warning(() -> "echo work still running after " + grace + ": aborting " + sessions.size() + " session(s)");
        sessions.forEach(Transport::abort);
        closeInUse();
        return awaitIdle(Duration.ofSeconds(1));
    }

    private void acceptLoop() {
        while (true) {
            Transport session;
            try {
                session = listener.accept();
            } catch (ChannelClosedException e) {
                return;
            }
            sessions.add(session);
            if (closing) {
                session.close();
            }
            if (!submit(() -> serveSession(session))) {
                session.abort();
                sessions.remove(session);
            }
        }
    }

    private void serveSession(Transport session) {
        try {
            while (true) {
                Receiver channel = session.waitReceiveChannel();
                if (!submit(() -> serveChannel(channel))) {
                    channel.close();
                }
            }
        } catch (LibchanException e) {
            LOG.fine(() -> "session ended: " + e.getMessage());
        } finally {
            if (!closing) {
                // while closing, close() still needs it to abort what outlives the grace period
                sessions.remove(session);
            }
        }
    }

    private void serveChannel(Receiver channel) {
        Sender kept = null;
        Use keptUse = null;
        try (Use use = use(channels, channel)) {
            while (true) {
                Object message = channel.receive();
                Sender ret = Messages.replyChannel(message).orElse(null);
                if (ret != null && Messages.flag(message, "keep")) {
                    if (kept != null) {
                        keptUse.close();
                        kept.close();
                    }
                    kept = ret;
                    keptUse = use(keptReplies, kept);
                }
                try {
                    answer(message, ret != null ? ret : kept);
                } finally {
                    if (ret != null && ret != kept) {
                        ret.close();
                    }
                }
            }
        } catch (EndOfChannelException e) {
            // the client closed the channel: done
        } catch (LibchanException e) {
            LOG.log(Level.FINE, "channel ended: " + e.getMessage(), e);
        } finally {
            // while closing, close() ends the kept reply channel itself, after resetting this channel
            if (kept != null && !closing) {
                keptUse.close();
                kept.close();
            }
        }
    }

    /** Answers one message on {@code replyTo} (if any); a failure is answered as an error reply. */
    private void answer(Object message, Sender replyTo) {
        Map<String, Object> reply;
        try {
            reply = echoFields(message);
        } catch (LibchanException | DrainLimitException e) {
            LOG.log(Level.FINE, "echo failed", e);
            if (replyTo != null) {
                replyTo.send(ErrorReply.of(e));
            }
            return;
        }
        if (replyTo == null) {
            return;
        }
        Pipe sub = Messages.flag(message, "sub") ? Pipe.create() : null;
        if (sub != null) {
            reply.put("sub", sub.receiver());
        }
        replyTo.send(reply);
        if (sub != null) {
            for (int i = 0; i < 3; i++) {
                Map<String, Object> event = new LinkedHashMap<>();
                event.put("i", i);
                event.put("from", "java");
                sub.sender().send(event);
            }
            sub.sender().close();
        }
    }

    private Map<String, Object> echoFields(Object message) {
        Map<String, Object> reply = new LinkedHashMap<>();
        if (!(message instanceof Map)) {
            reply.put("value", message);
            return reply;
        }
        for (Map.Entry<?, ?> e : ((Map<?, ?>) message).entrySet()) {
            String key = String.valueOf(e.getKey());
            Object value = e.getValue();
            if (key.equalsIgnoreCase(Messages.RET) || key.equalsIgnoreCase("sub")) {
                continue;
            }
            if (value instanceof Receiver) {
                reply.put(key, drain((Receiver) value));
            } else if (value instanceof ByteStream) {
                echoLater((ByteStream) value);
            } else if (value instanceof Sender) {
                greet(key, (Sender) value);
            } else {
                reply.put(key, value);
            }
        }
        return reply;
    }

    private List<Object> drain(Receiver receiver) {
        List<Object> items = new ArrayList<>();
        try (Use use = use(nested, receiver)) {
            while (true) {
                if (items.size() == MAX_DRAINED) {
                    receiver.close();
                    throw new DrainLimitException();
                }
                items.add(receiver.receive());
            }
        } catch (EndOfChannelException end) {
            return items;
        }
    }

    private static void greet(String field, Sender sender) {
        Map<String, Object> hello = new LinkedHashMap<>();
        hello.put("From", "java");
        hello.put("Field", field);
        try {
            sender.send(hello);
        } finally {
            sender.close();
        }
    }

    private void echoLater(ByteStream stream) {
        if (!submit(() -> echoBytes(stream))) {
            stream.close();
        }
    }

    private void echoBytes(ByteStream stream) {
        try (Use use = use(nested, stream); InputStream in = stream.input(); OutputStream out = stream.output()) {
            in.transferTo(out);
        } catch (IOException e) {
            LOG.log(Level.FINE, "byte stream echo ended: " + e.getMessage(), e);
        }
    }

    // ------------------------------------------------------------------ task and resource tracking

    /** A channel or stream a task is using; closing the Use forgets it (it does not close it). */
    private interface Use extends AutoCloseable {
        @Override
        void close();
    }

    private Use use(Set<AutoCloseable> group, AutoCloseable resource) {
        group.add(resource);
        if (closing) {
            closeQuietly(resource); // close() may have iterated before it was added
        }
        return () -> group.remove(resource);
    }

    private void closeInUse() {
        channels.forEach(DemoEchoService::closeQuietly);
        keptReplies.forEach(DemoEchoService::closeQuietly);
        nested.forEach(DemoEchoService::closeQuietly);
    }

    private boolean submit(Runnable task) {
        changeRunning(+1);
        try {
            executor.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "echo task failed", e);
                } finally {
                    changeRunning(-1);
                }
            });
            return true;
        } catch (RejectedExecutionException e) {
            changeRunning(-1);
            LOG.warning(() -> "no thread free for libchan echo work: " + e.getMessage());
            return false;
        }
    }

    private void changeRunning(int delta) {
        lock.lock();
        try {
            running += delta;
            if (running == 0) {
                idle.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    private boolean awaitIdle(Duration timeout) {
        long nanos = timeout.toNanos();
        lock.lock();
        try {
            while (running > 0) {
                if (nanos <= 0) {
                    return false;
                }
                nanos = idle.awaitNanos(nanos);
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return running == 0;
        } finally {
            lock.unlock();
        }
    }

    private static void closeQuietly(AutoCloseable resource) {
        try {
            resource.close();
        } catch (Exception e) {
            LOG.log(Level.FINE, "close failed", e);
        }
    }

    /** More than {@link #MAX_DRAINED} messages on one nested channel. */
    private static final class DrainLimitException extends RuntimeException {
        DrainLimitException() {
            super("more than " + MAX_DRAINED + " messages on one nested channel");
        }
    }
}
