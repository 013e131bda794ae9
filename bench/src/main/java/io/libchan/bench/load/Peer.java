package io.libchan.bench.load;

import java.time.Duration;

/**
 * What the harness does to one kind of server, as a client: {@link LibchanPeer} (the libchan client
 * API over {@code tcp://}) and {@link GrpcPeer} (grpc-java's Netty client). Every call has a timeout.
 */
interface Peer {
    /** 64 ASCII characters: the body of every small request. */
    String BODY = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_";

    String label();

    /** A connection for request/reply, 1 in flight: (d), and the "still answering" probe. */
    Caller caller(int port) throws Exception;

    /**
     * (c): connects, runs {@code gate} (it returns when every client is connected), sends one
     * message carrying {@code body} and waits for the reply. Never throws.
     */
    Outcome big(int port, byte[] body, Runnable gate, Duration timeout);

    /**
     * (b): one connection with {@code channels} long-lived streams; each stream's first message is
     * answered before this returns. Later replies go to {@code replies}.
     */
    Session session(int port, int channels, Duration timeout, Replies replies) throws Exception;

    interface Caller extends AutoCloseable {
        /** One 64-byte request and its echo; throws on an error, a timeout or a wrong reply. */
        void call(Duration timeout) throws Exception;

        @Override
        void close();
    }

    interface Session extends AutoCloseable {
        /** Sends message {@code seq} on stream {@code channel}, carrying {@code sentNanos}; never blocks long. */
        void send(int channel, long seq, long sentNanos) throws Exception;

        @Override
        void close();
    }

    /** Called for every reply of a {@link Session} (on the client library's thread: be quick). */
    interface Replies {
        void reply(long seq, long sentNanos);

        void failed(Throwable error);
    }

    enum Kind {
        /** the whole message came back */
        ANSWERED,
        /** refused with a typed error: an error reply, a stream reset, message too large, a gRPC status */
        REFUSED,
        /** the connection died under it (libchan ConnectionLostException, gRPC UNAVAILABLE) */
        LOST,
        /** nothing came back in time */
        TIMEOUT,
        /** anything else (a wrong reply, ret closed without a reply, connect failed) */
        FAILED
    }

    record Outcome(Kind kind, String detail) {
    }
}
