package io.libchan.gateway;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/** What the gateway tests do with the sockets at a tunnel's ends (core's and libchan-unix's). */
public final class TunnelSockets {
    private TunnelSockets() {
    }

    /** Four bytes from {@code s} (blocking), as ASCII: a "ping" or "pong" through a tunnel. */
    public static String readFour(SocketChannel s) throws IOException {
        ByteBuffer got = ByteBuffer.allocate(4);
        while (got.hasRemaining() && s.read(got) >= 0) {
            // blocking reads until the four bytes came
        }
        return new String(got.array(), StandardCharsets.US_ASCII);
    }

    /** The JVM's live threads now. */
    public static int liveThreads() {
        return ManagementFactory.getThreadMXBean().getThreadCount();
    }

    public static void closeQuietly(SocketChannel s) {
        try {
            s.close();
        } catch (IOException e) {
            // closed already
        }
    }
}
