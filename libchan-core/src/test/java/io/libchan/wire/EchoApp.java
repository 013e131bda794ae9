package io.libchan.wire;

import io.libchan.LibchanException;
import io.libchan.Messages;
import io.libchan.Receiver;
import io.libchan.Sender;
import io.libchan.Transport;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The application side of the Go echo server of go-peer-wire.md §1 (test resources), on our API: every message
 * {@code {"Cmd": c, "Ret": r}} on every channel the peer opens is answered with {@code {"Cmd": c}}
 * on {@code r}, which is then closed. Runs on daemon threads until the session ends; what ended
 * each loop is kept for diagnostics.
 */
final class EchoApp implements AutoCloseable {
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "echo-app");
        t.setDaemon(true);
        return t;
    });
    final List<Throwable> ended = new CopyOnWriteArrayList<>();

    static EchoApp serve(Transport transport) {
        EchoApp app = new EchoApp();
        app.threads.execute(() -> app.acceptLoop(transport));
        return app;
    }

    private void acceptLoop(Transport transport) {
        try {
            while (true) {
                Receiver channel = transport.waitReceiveChannel();
                threads.execute(() -> serveChannel(channel));
            }
        } catch (LibchanException e) {
            ended.add(e);
        }
    }

    private void serveChannel(Receiver channel) {
        try {
            while (true) {
                Object message = channel.receive();
                Sender ret = Messages.replyChannel(message).orElse(null);
                if (ret != null) {
                    ret.send(reply(message));
                    ret.close();
                }
            }
        } catch (LibchanException e) {
            ended.add(e);
        }
    }

    static Map<String, Object> reply(Object request) {
        Map<String, Object> reply = new LinkedHashMap<>();
        reply.put("Cmd", Messages.field(request, "Cmd").orElse(null));
        return reply;
    }

    @Override
    public void close() {
        threads.shutdownNow();
    }
}
