package io.libchan.cli;

import io.libchan.ByteStream;
import io.libchan.LibchanException;
import io.libchan.Libchan;
import io.libchan.Listener;
import io.libchan.Settings;
import io.libchan.Transport;
import io.libchan.gateway.Gateway;
import io.libchan.gateway.TunnelRefusedException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The gateway commands of {@code libchan.jar}: {@code gateway} serves targets ({@link Gateway}),
 * {@code forward} tunnels each connection to a local port (like {@code ssh -L}), {@code connect}
 * joins stdin and stdout to one tunnel (for {@code ssh -o ProxyCommand=...}).
 */
final class GatewayCommands {
    private GatewayCommands() {
    }

    /** {@code gateway --listen URI --target NAME=URI ...}: serves until killed. */
    static int gateway(Main.Options o, PrintStream out, PrintStream err) {
        if (o.listen == null) {
            throw new IllegalArgumentException("gateway needs --listen URI");
        }
        if (o.targets.isEmpty()) {
            throw new IllegalArgumentException("gateway needs at least one --target NAME=tcp://HOST:PORT");
        }
        Settings settings = o.settings.build();
        // this server serves nothing else, so unnamed channels are gateway requests too: Go and jschan cannot name one
        Gateway.Builder b = Gateway.builder().unnamedChannels(true).connectTimeout(settings.connectTimeout());
        for (String t : o.targets) {
            int eq = t.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("--target takes NAME=tcp://HOST:PORT or NAME=unix:///PATH, not '" + t + "'");
            }
            b.target(t.substring(0, eq), URI.create(t.substring(eq + 1)));
        }
        Gateway gateway = b.build();
        Listener listener = Libchan.listen(URI.create(o.listen), settings);
        out.println("listening " + listener.uri());
        out.flush();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            listener.close();
            gateway.close();
        }));
        try {
            gateway.serve(listener).join();
            return 0;
        } catch (java.util.concurrent.CompletionException e) {
            err.println("libchan: accepting failed: " + e.getCause());
            return 2;
        }
    }

    /**
     * {@code forward --local HOST:PORT URI NAME}: one session to the gateway, a tunnel per accepted
     * local connection, each holding two threads while open; serves until killed. A lost session is
     * opened again for the next local connection.
     */
    static int forward(Main.Options o, PrintStream out, PrintStream err) {
        if (o.positional.size() != 2 || o.local == null) {
            throw new IllegalArgumentException("forward needs --local HOST:PORT, URI and NAME");
        }
        URI uri = URI.create(o.positional.get(0));
        String name = o.positional.get(1);
        InetSocketAddress local = localAddress(o.local);
        Settings settings = Main.clientSettings(o);
        ExecutorService copies = Executors.newCachedThreadPool(daemon("libchan-forward"));
        Transport session;
        try {
            session = Libchan.connect(uri, settings);
        } catch (LibchanException e) {
            err.println("libchan: " + e.getClass().getSimpleName() + ": " + e.getMessage());
            return 2;
        }
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(local);
            int port = ((InetSocketAddress) server.getLocalAddress()).getPort();
            out.println("forwarding " + local.getHostString() + ":" + port + " -> " + name);
            out.flush();
            while (true) {
                SocketChannel accepted = server.accept();
                accepted.setOption(StandardSocketOptions.TCP_NODELAY, true);
                if (!session.isOpen()) {
                    try {
                        session = Libchan.connect(uri, settings);
                    } catch (LibchanException e) {
                        err.println("libchan: " + e.getClass().getSimpleName() + ": " + e.getMessage());
                        accepted.close();
                        continue;
                    }
                }
                Gateway.forward(session, name, accepted, copies, o.timeout).whenComplete((none, e) -> {
                    if (e != null) {
                        err.println("libchan: " + name + ": " + e.getMessage());
                    }
                });
            }
        } catch (IOException e) {
            err.println("libchan: forwarding " + o.local + " failed: " + e.getMessage());
            return 2;
        }
    }

    /** {@code connect URI NAME}: stdin to the target, the target to stdout; returns when the target ends. */
    static int connect(Main.Options o, InputStream in, PrintStream out, PrintStream err) {
        if (o.positional.size() != 2) {
            throw new IllegalArgumentException("connect needs URI and NAME");
        }
        Transport session = null;
        try {
            session = Libchan.connect(URI.create(o.positional.get(0)), Main.clientSettings(o));
            ByteStream tunnel = Gateway.connect(session, o.positional.get(1), o.timeout);
            Thread upstream = new Thread(() -> {
                try {
                    copy(in, tunnel.output(), null);
                    tunnel.closeWrite();
                } catch (IOException e) {
                    tunnel.close();
                }
            }, "libchan-connect-stdin");
            upstream.setDaemon(true); // stdin may never end: the target's end ends the command
            upstream.start();
            copy(tunnel.input(), out, out);
            out.flush();
            return 0;
        } catch (TunnelRefusedException e) {
            err.println("libchan: " + e.getMessage());
            return 1;
        } catch (LibchanException e) {
            err.println("libchan: " + e.getClass().getSimpleName() + ": " + e.getMessage());
            return 2;
        } catch (IOException e) {
            err.println("libchan: the tunnel broke: " + e.getMessage());
            return 2;
        } finally {
            if (session != null) {
                session.close();
            }
        }
    }

    /** Copies until end-of-stream, flushing each chunk: a proxied protocol waits for every byte. */
    private static void copy(InputStream from, java.io.OutputStream to, PrintStream flushEach) throws IOException {
        byte[] buf = new byte[64 * 1024];
        int n;
        while ((n = from.read(buf)) >= 0) {
            to.write(buf, 0, n);
            to.flush();
            if (flushEach != null && flushEach.checkError()) {
                throw new IOException("stdout closed");
            }
        }
    }

    /** {@code HOST:PORT}, {@code [V6]:PORT} or a bare {@code PORT} (on 127.0.0.1). */
    static InetSocketAddress localAddress(String spec) {
        int colon = spec.lastIndexOf(':');
        String host = colon < 0 ? "127.0.0.1" : spec.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        try {
            int port = Integer.parseInt(spec.substring(colon + 1));
            if (port < 0 || port > 65535) {
                throw new NumberFormatException();
            }
            return new InetSocketAddress(host, port);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--local takes HOST:PORT or PORT, not '" + spec + "'");
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
