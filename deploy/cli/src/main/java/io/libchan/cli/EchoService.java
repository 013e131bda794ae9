package io.libchan.cli;

import io.libchan.ByteStream;
import io.libchan.ChannelClosedException;
import io.libchan.ConnectionLostException;
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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The echo protocol that every libchan peer in our tests serves, the same in both dialects
 * (README, "The CLI"); {@code interop/jschan/echo-server.js} implements it for jschan. For each
 * message on a top-level channel: reply on its {@code ret} (any case) with its plain fields; a
 * {@code Receiver} field is read to its end and its messages are returned as a list under the same
 * key; a byte-stream field is echoed byte for byte, then closed; {@code sub: true} makes a new
 * channel sent back as {@code sub}, carrying {@code {i, from: "java"}} three times; any other
 * {@code Sender} field gets {@code {"From": "java", "Field": name}} and is closed. {@code ret} is
 * closed after the reply unless {@code keep} is true: then later messages without a {@code ret}
 * are answered on it. A failure is answered with an error reply.
 */
public final class EchoService {
    private static final Logger LOG = Logger.getLogger(EchoService.class.getName());
    private final Executor executor;

    public EchoService(Executor executor) {
        this.executor = executor;
    }

    /** Accepts sessions until the listener closes; each session and channel is served on the executor. */
    public void serve(Listener listener) {
        while (true) {
            Transport session;
            try {
                session = listener.accept();
            } catch (ChannelClosedException e) {
                return;
            }
            executor.execute(() -> serve(session));
        }
    }

    /** Serves every top-level channel of one session until it ends. */
    public void serve(Transport session) {
        try {
            while (true) {
                Receiver channel = session.waitReceiveChannel();
                executor.execute(() -> serveChannel(channel));
            }
        } catch (ChannelClosedException | ConnectionLostException e) {
            LOG.fine(() -> "session ended: " + e.getMessage());
        }
    }

    void serveChannel(Receiver channel) {
        Sender kept = null;
        try {
            while (true) {
                Object message = channel.receive();
                Sender own = Messages.replyChannel(message).orElse(null);
                boolean keep = Messages.flag(message, "keep");
                if (own != null && keep) {
                    kept = own;
                }
                // an own ret is closed after the reply unless kept; a kept one stays open
                handle(message, own != null ? own : kept, own == null || keep);
            }
        } catch (EndOfChannelException e) {
            if (kept != null) {
                kept.close();
            }
        } catch (LibchanException e) {
            LOG.log(Level.FINE, "channel failed", e);
        }
    }

    private void handle(Object message, Sender ret, boolean keepRet) {
        try {
            Map<String, Object> reply = reply(message);
            if (ret != null) {
                Pipe sub = null;
                if (Messages.flag(message, "sub")) {
                    sub = Pipe.create();
                    reply.put("sub", sub.receiver());
                }
                ret.send(reply);
                if (sub != null) {
                    for (int i = 0; i < 3; i++) {
                        Map<String, Object> event = new LinkedHashMap<>();
                        event.put("i", i);
                        event.put("from", "java");
                        sub.sender().send(event);
                    }
                    sub.sender().close();
                }
                if (!keepRet) {
                    ret.close();
                }
            }
        } catch (LibchanException | IOException e) {
            LOG.log(Level.FINE, "echo failed", e);
            if (ret != null) {
                try {
                    ret.send(ErrorReply.of(e));
                    if (!keepRet) {
                        ret.close();
                    }
                } catch (LibchanException again) {
                    LOG.log(Level.FINE, "error reply failed too", again);
                }
            }
        }
    }

    private Map<String, Object> reply(Object message) throws IOException {
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
                echoBytes((ByteStream) value);
            } else if (value instanceof Sender) {
                Sender s = (Sender) value;
                Map<String, Object> hello = new LinkedHashMap<>();
                hello.put("From", "java");
                hello.put("Field", key);
                s.send(hello);
                s.close();
            } else {
                reply.put(key, value);
            }
        }
        return reply;
    }

    private static List<Object> drain(Receiver receiver) {
        List<Object> items = new ArrayList<>();
        try {
            while (true) {
                items.add(receiver.receive());
            }
        } catch (EndOfChannelException end) {
            return items;
        }
    }

    private void echoBytes(ByteStream stream) {
        executor.execute(() -> {
            try (InputStream in = stream.input(); OutputStream out = stream.output()) {
                in.transferTo(out);
            } catch (IOException e) {
                LOG.log(Level.FINE, "byte stream echo failed", e);
            }
        });
    }
}
