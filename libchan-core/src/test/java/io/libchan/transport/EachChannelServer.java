package io.libchan.transport;

import io.libchan.LibchanException;
import io.libchan.Receiver;
import io.libchan.Transport;
import java.util.concurrent.ExecutorService;

/**
 * A test server that serves every top-level channel the peer opens with a blocking receive loop
 * on a thread of its own, calling a handler per message, until the channel or the session ends.
 */
final class EachChannelServer {
    /** What the server does with one message; may block. */
    interface MessageHandler {
        void handle(Object message) throws Exception;
    }

    private EachChannelServer() {
    }

    /** Accepts channels until the session ends; runs on the calling thread. */
    static void serve(Transport server, ExecutorService threads, MessageHandler handler) {
        try {
            while (true) {
                Receiver channel = server.waitReceiveChannel();
                threads.execute(() -> {
                    try {
                        while (true) {
                            handler.handle(channel.receive());
                        }
                    } catch (LibchanException e) {
                        // the channel or the session ended
                    } catch (RuntimeException e) {
                        throw e;
                    } catch (Exception e) {
                        Thread.currentThread().interrupt(); // interrupted while the handler waited
                    }
                });
            }
        } catch (LibchanException e) {
            // the session ended
        }
    }
}
