package io.libchan;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * The directory (PROTOCOL.md, "The directory"): what a server offers the peer that asks, its named
 * endpoints and gateway targets, limited to those this peer may use. A client sends {@code {ret}}
 * on a top-level channel named {@link #CHANNEL}; the server answers one {@link Listing} message on
 * {@code ret} and closes it.
 *
 * <p>Server side: {@link #serve} answers the requests of one channel, computing the listing per
 * request (the caller's roles may be all it depends on). Client side: {@link #list}. Thread-safe,
 * stateless.
 */
public final class Directory {
    /** The name of the channel a directory request goes on ({@link Transport#newSendChannel(String)}). */
    public static final String CHANNEL = "libchan.directory";
    /** The answer's field listing endpoint names. */
    public static final String ENDPOINTS = "endpoints";
    /** The answer's field listing gateway target names. */
    public static final String TARGETS = "targets";
    private static final System.Logger LOG = System.getLogger(Directory.class.getName());

    private Directory() {
    }

    /**
     * What a server offers one caller: endpoint names (top-level channel names it serves) and
     * gateway target names ({@link io.libchan.gateway.Gateway}), each sorted. Immutable.
     */
    public record Listing(SortedSet<String> endpoints, SortedSet<String> targets) {
        public Listing {
            endpoints = Collections.unmodifiableSortedSet(new TreeSet<>(endpoints));
            targets = Collections.unmodifiableSortedSet(new TreeSet<>(targets));
        }

        /** A listing of {@code endpoints} and {@code targets}, in any order. */
        public static Listing of(Collection<String> endpoints, Collection<String> targets) {
            return new Listing(new TreeSet<>(endpoints), new TreeSet<>(targets));
        }

        /** The answer message: {@code {"endpoints": [...], "targets": [...]}}, names sorted. */
        public Map<String, Object> toMessage() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put(ENDPOINTS, new ArrayList<>(endpoints));
            m.put(TARGETS, new ArrayList<>(targets));
            return m;
        }

        /**
         * Reads an answer: a map whose {@code endpoints} and {@code targets} (any case; a missing one
         * is empty) are lists of strings; other fields are ignored.
         *
         * @throws ProtocolException when it is not such a map
         */
        public static Listing fromMessage(Object message) {
            if (!(message instanceof Map)) {
                throw new ProtocolException("a directory answer is a map, not " + message);
            }
            return of(names(message, ENDPOINTS), names(message, TARGETS));
        }

        private static List<String> names(Object message, String field) {
            Optional<Object> value = Messages.field(message, field);
            if (value.isEmpty()) {
                return List.of();
            }
            if (!(value.get() instanceof List<?> list) || !list.stream().allMatch(String.class::isInstance)) {
                throw new ProtocolException("a directory answer's " + field + " is a list of strings, not " + value.get());
            }
            return list.stream().map(String.class::cast).toList();
        }
    }

    /**
     * Answers every request that comes on {@code channel} with the listing {@code listing} gives at
     * that moment, on {@code executor}, until the peer closes the channel; never blocks. A request
     * without a {@code ret} is dropped.
     */
    public static void serve(Receiver channel, Executor executor, Supplier<Listing> listing) {
        channel.subscribe(Object.class, executor, new MessageListener<Object>() {
            @Override
            public void onMessage(Object request) {
                answer(request, listing.get());
            }

            @Override
            public void onEnd() {
                channel.close();
            }

            @Override
            public void onError(LibchanException error) {
                LOG.log(System.Logger.Level.DEBUG, "directory channel failed", error);
                channel.close();
            }
        });
    }

    /** Sends {@code listing} on {@code request}'s {@code ret}, without waiting, then closes it; no {@code ret}: nothing. */
    public static void answer(Object request, Listing listing) {
        Optional<Sender> ret = Messages.replyChannel(request);
        if (ret.isEmpty()) {
            LOG.log(System.Logger.Level.DEBUG, "directory request without ret dropped");
            return;
        }
        Sender reply = ret.get();
        CompletableFuture<Void> sent;
        try {
            sent = reply.sendAsync(listing.toMessage());
        } catch (LibchanException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        sent.whenComplete((none, e) -> {
            if (e != null) {
                LOG.log(System.Logger.Level.DEBUG, "could not answer a directory request", e);
            }
            reply.close();
        });
    }

    /**
     * Asks the server at the other end of {@code session} what it offers this caller: sends
     * {@code {ret}} on a new channel named {@link #CHANNEL} and waits at most {@code timeout}.
     *
     * @throws RemoteErrorException when the server answered an error reply (a server without a
     *     directory answers an unknown endpoint, if anything)
     * @throws ChannelTimeoutException when no answer came in time
     * @throws ProtocolException when the answer is not a listing, or {@code ret} closed without one
     */
    public static Listing list(Transport session, Duration timeout) {
        Pipe ret = Pipe.create();
        Sender channel = session.newSendChannel(CHANNEL);
        try {
            long deadline = System.nanoTime() + timeout.toNanos();
            channel.send(Map.of(Messages.RET, ret.sender()), timeout);
            Object answer = ret.receiver().receive(Object.class, Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            Optional<RemoteErrorException> error = ErrorReply.asError(answer);
            if (error.isPresent()) {
                throw error.get();
            }
            return Listing.fromMessage(answer);
        } catch (EndOfChannelException e) {
            throw new ProtocolException("the server closed ret without a directory answer");
        } finally {
            channel.close();
            ret.receiver().close();
        }
    }
}
