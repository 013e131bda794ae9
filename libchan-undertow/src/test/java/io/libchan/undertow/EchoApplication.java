package io.libchan.undertow;

import io.libchan.LibchanException;
import io.libchan.Listener;
import io.libchan.Messages;
import io.libchan.Pipe;
import io.libchan.Receiver;
import io.libchan.Sender;
import io.libchan.Transport;
import java.security.Principal;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The server application of the HTTP tests: accepts every session of a listener and answers the
 * {@code cmd} of each message on its {@code ret}: {@code echo} (the command, {@code n}, the
 * channel's name and the server's), {@code subscribe} (a Receiver of {@code count} events), {@code whoami} (the
 * session's principal), {@code hasRole} (whether the session's peer holds {@code role}), {@code sender} (a reply carrying a Sender), {@code bytes} (echoes the byte stream {@code bytes}),
 * {@code silent} (no reply).
 */
final class EchoApplication implements AutoCloseable {
    private final Listener listener;
    private final String name;
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "echo-app");
        t.setDaemon(true);
        return t;
    });

    EchoApplication(Listener listener) {
        this(listener, "echo");
    }

    /** @param name what {@code echo} replies carry as {@code server} */
    EchoApplication(Listener listener, String name) {
        this.listener = listener;
        this.name = name;
        pool.execute(this::acceptLoop);
    }

    private void acceptLoop() {
        try {
            while (true) {
                Transport session = listener.accept();
                pool.execute(() -> serve(session));
            }
        } catch (LibchanException | IllegalStateException closed) {
            // listener closed
        }
    }

    private void serve(Transport session) {
        try {
            while (true) {
                Receiver channel = session.waitReceiveChannel();
                pool.execute(() -> serveChannel(session, channel));
            }
        } catch (LibchanException end) {
            // session over
        }
    }

    private void serveChannel(Transport session, Receiver channel) {
        try {
            while (true) {
                Object message = channel.receive();
                pool.execute(() -> answer(session, channel, message));
            }
        } catch (LibchanException end) {
            // channel over
        }
    }

    private void answer(Transport session, Receiver channel, Object message) {
        Sender ret = Messages.replyChannel(message).orElse(null);
        if (ret == null) {
            return;
        }
        String cmd = String.valueOf(Messages.field(message, "cmd").orElse(""));
        try {
            switch (cmd) {
                case "echo":
                    ret.send(Map.of("cmd", cmd, "n", Messages.field(message, "n").orElse(0),
                            "channel", channel.channelName().orElse(""), "server", name));
                    break;
                case "subscribe": {
                    int count = ((Number) Messages.field(message, "count").orElse(3)).intValue();
                    Pipe events = Pipe.create();
                    ret.send(Map.of("events", events.receiver()));
                    for (int i = 0; i < count; i++) {
                        events.sender().send(Map.of("event", i));
                    }
                    events.sender().close();
                    break;
                }
                case "whoami":
                    ret.send(Map.of("principal", session.peerPrincipal().map(Principal::getName).orElse("")));
                    break;
                case "hasRole": {
                    String role = String.valueOf(Messages.field(message, "role").orElse(""));
                    ret.send(Map.of("role", role, "held", session.isPeerInRole(role)));
                    break;
                }
                case "sender":
                    ret.send(Map.of("back", Pipe.create().sender()));
                    break;
                case "bytes": { // echoes the byte stream to its end, then says how many bytes went by
                    io.libchan.ByteStream stream = (io.libchan.ByteStream) Messages.field(message, "bytes").orElseThrow();
                    long n;
                    try (java.io.InputStream in = stream.input(); java.io.OutputStream out = stream.output()) {
                        n = in.transferTo(out);
                    } catch (java.io.IOException e) {
                        ret.send(Map.of("error", Map.of("type", "io", "message", String.valueOf(e))));
                        break;
                    }
                    ret.send(Map.of("cmd", cmd, "n", n));
                    break;
                }
                case "silent":
                    return;
                default:
                    ret.send(Map.of("error", Map.of("type", "unknown-command", "message", cmd)));
            }
            ret.close();
        } catch (LibchanException e) {
            ret.close();
        }
    }

    @Override
    public void close() {
        listener.close();
        pool.shutdownNow();
    }
}
