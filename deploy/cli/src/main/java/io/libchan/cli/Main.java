package io.libchan.cli;

import io.libchan.ChannelTimeoutException;
import io.libchan.EndOfChannelException;
import io.libchan.LibchanException;
import io.libchan.Libchan;
import io.libchan.Listener;
import io.libchan.Messages;
import io.libchan.Pipe;
import io.libchan.Sender;
import io.libchan.Settings;
import io.libchan.Transport;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code libchan.jar}: {@code echo --listen URI} serves the echo protocol ({@link EchoService});
 * {@code call URI JSON} sends one message with a fresh {@code ret} and prints every reply as a JSON
 * line (the JSON may come from stdin, {@code -}, or a file, {@code @FILE}); {@code demo} runs a
 * service and a client talking to it. Exit codes of {@code call}: 0 when {@code ret} closed (or, with
 * {@code --wait nested}, every nested channel and stream ended), 1 after an error reply, 2 on a
 * transport error or timeout; 64 on bad usage. {@code gateway}, {@code forward} and {@code connect}
 * are the tcp gateway's ({@link GatewayCommands}); {@code ls} asks a server's directory
 * ({@link DirectoryCommand}).
 */
public final class Main {
    static final String USAGE = String.join("\n",
            "usage: java -jar libchan.jar <command> [options]",
            "  echo --listen URI          serve the echo protocol; prints 'listening URI' first",
            "  call URI JSON              send JSON with a fresh ret, print each reply as one JSON line;",
            "                             JSON '-' reads it from stdin, '@FILE' from FILE",
            "  demo                       start an echo service on loopback and talk to it",
            "  gateway --listen URI --target NAME=tcp://HOST:PORT ...",
            "                             serve a tcp gateway to the targets named (also NAME=unix:///PATH);",
            "                             prints 'listening URI' first",
            "  forward --local HOST:PORT URI NAME",
            "                             tunnel each connection to the local port to the gateway's target NAME",
            "                             (like ssh -L; port 0 picks one); prints 'forwarding HOST:PORT -> NAME' first",
            "  connect URI NAME           join stdin and stdout to a tunnel to NAME (ssh -o ProxyCommand=...);",
            "                             exit 1 when the gateway refuses",
            "  ls URI                     what the server offers this caller, from its directory: one line per",
            "                             entry, 'endpoint NAME' lines then 'target NAME' lines (gateway targets),",
            "                             each sorted; exit 1 when the server answers an error (it has no directory)",
            "options:",
            "  --dialect head|v0.1.0|jschan   wire dialect (client; a server detects it per session)",
            "  --codec msgpack|json|cbor|xml  call: the codec offered to the server (a peer that does not take it, Go",
            "                                 or jschan, gets msgpack); echo: msgpack (default) takes any codec a client",
            "                                 offers, another name only that one (protobuf sessions carry generated",
            "                                 protobuf messages only, which call and echo do not have)",
            "  --timeout DURATION             call: give up after this long (default 30s); forward, connect, ls: wait this",
            "                                 long for the server's answer",
            "  --wait ret|nested              call: done when ret closes (default), or with 'nested' also once every",
            "                                 nested channel and stream (sent or received) has ended; for peers",
            "                                 that close nothing: {\"$sender\": n} is done after n messages,",
            "                                 {\"$stream\": \"text\", \"mode\": \"read\"|\"write\"} when the peer only reads|writes",
            "  --threads N                    echo: threads serving messages (default: the cores, at least 2); byte-stream",
            "                                 echoes, which hold a thread while they copy, get N/2 more",
            "  --channel NAME                 call: address a named endpoint",
            "  --token TOKEN                  call, ls, forward, connect: authenticate to a server that asks for a",
            "                                 bearer token (sent as 'authorization: Bearer TOKEN' on the first channel);",
            "                                 the environment variable LIBCHAN_TOKEN does the same without showing it in",
            "                                 the process list",
            "  --truststore PATH  --truststore-password PW",
            "  --keystore PATH    --keystore-password PW   (tls:// servers need one)",
            "  --client-auth none|want|need   --insecure (trust any server certificate)",
            "URIs: tcp://host:port  tls://host:port  unix:///path  ws://host:port/path  wss://...",
            "      h2c://host:port/path (HTTP/2 cleartext; listening serves HTTP/2, HTTP/1.1 and WebSocket)",
            "      https://host:port/path  h2://...  inmem:name");

    private Main() {
    }

    /** Loggers kept referenced, so their level sticks: the HTTP stack's start-up chatter is not CLI output. */
    private static final java.util.logging.Logger[] QUIET = {
        java.util.logging.Logger.getLogger("org.xnio"), java.util.logging.Logger.getLogger("io.undertow")};

    public static void main(String[] args) {
        for (java.util.logging.Logger l : QUIET) {
            l.setLevel(java.util.logging.Level.WARNING);
        }
        System.exit(run(args, System.in, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, System.in, out, err);
    }

    static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
            out.println(USAGE);
            return args.length == 0 ? 64 : 0;
        }
        try {
            Options o = Options.parse(args);
            switch (o.command) {
                case "echo":
                    return echo(o, out, err);
                case "call":
                    return call(o, in, out, err);
                case "demo":
                    return Demo.run(out);
                case "gateway":
                    return GatewayCommands.gateway(o, out, err);
                case "forward":
                    return GatewayCommands.forward(o, out, err);
                case "connect":
                    return GatewayCommands.connect(o, in, out, err);
                case "ls":
                    return DirectoryCommand.ls(o, out, err);
                default:
                    err.println("unknown command '" + o.command + "'\n" + USAGE);
                    return 64;
            }
        } catch (IllegalArgumentException e) {
            err.println("libchan: " + e.getMessage());
            return 64;
        }
    }

    private static int echo(Options o, PrintStream out, PrintStream err) {
        if (o.listen == null) {
            throw new IllegalArgumentException("echo needs --listen URI");
        }
        Listener listener = Libchan.listen(URI.create(o.listen), o.settings.build());
        out.println("listening " + listener.uri());
        out.flush();
        EchoThreads threads = new EchoThreads(o.threads);
        Runtime.getRuntime().addShutdownHook(new Thread(listener::close));
        // nothing blocks while serving: this thread only waits for the listener to close
        try {
            new EchoService(threads.messages(), threads.copies()).serve(listener).join();
            return 0;
        } catch (java.util.concurrent.CompletionException e) {
            err.println("libchan: accepting failed: " + e.getCause());
            return 2;
        }
    }

    /** The message's JSON: the argument itself, stdin for {@code -}, a file for {@code @FILE} (one argument holds 128 KiB at most). */
    static String messageText(String arg, InputStream in) {
        try {
            if (arg.equals("-")) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            if (arg.startsWith("@")) {
                return Files.readString(Path.of(arg.substring(1)), StandardCharsets.UTF_8);
            }
            return arg;
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("cannot read the message from " + (arg.equals("-") ? "stdin" : arg.substring(1))
                    + ": " + e.getMessage());
        }
    }

    static int call(Options o, InputStream in, PrintStream out, PrintStream err) {
        if (o.positional.size() != 2) {
            throw new IllegalArgumentException("call needs URI and JSON");
        }
        String text = messageText(o.positional.get(1), in);
        Settings settings = clientSettings(o);
        ExecutorService pool = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "libchan-call");
            t.setDaemon(true);
            return t;
        });
        long deadline = System.nanoTime() + o.timeout.toNanos();
        Transport session = null;
        CliJson json = new CliJson(out, pool);
        try {
            Object parsed = json.parse(text);
            Map<String, Object> message = new LinkedHashMap<>();
            if (parsed instanceof Map) {
                ((Map<?, ?>) parsed).forEach((k, v) -> message.put(String.valueOf(k), v));
            } else {
                message.put("value", parsed);
            }
            Pipe ret = Pipe.create();
            String retKey = message.keySet().stream().filter(Messages.RET::equalsIgnoreCase).findFirst().orElse(Messages.RET);
            message.put(retKey, ret.sender());
            session = Libchan.connect(URI.create(o.positional.get(0)), settings);
            Sender channel = session.newSendChannel();
            channel.send(message, remaining(deadline));
            json.sent();
            CompletableFuture<Void> retClosed = CompletableFuture.runAsync(() -> printUntilClosed(ret, json, deadline), pool);
            CompletableFuture<?> done = o.waitNested ? CompletableFuture.anyOf(retClosed, json.nestedEnded()) : retClosed;
            done.get(Math.max(1, remaining(deadline).toMillis()), TimeUnit.MILLISECONDS);
            json.drained().get(Math.max(1, remaining(deadline).toMillis()), TimeUnit.MILLISECONDS);
            channel.close();
            return json.sawError.get() ? 1 : 0;
        } catch (ChannelTimeoutException | TimeoutException e) {
            return timedOut(o, settings, json, err);
        } catch (LibchanException e) {
            err.println("libchan: " + e.getClass().getSimpleName() + ": " + e.getMessage());
            return 2;
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("bad JSON message: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw e; // bad usage (a bad JSON form): 64
        } catch (Exception e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            if (cause instanceof CompletionException && cause.getCause() != null) {
                cause = cause.getCause();
            }
            if (cause instanceof ChannelTimeoutException) {
                return timedOut(o, settings, json, err);
            } else if (cause instanceof LibchanException) {
                err.println("libchan: " + cause.getClass().getSimpleName() + ": " + cause.getMessage());
            } else {
                err.println("libchan: " + cause);
            }
            return 2;
        } finally {
            if (session != null) {
                session.close();
            }
            pool.shutdownNow();
        }
    }

    /** A client's settings: the options', with the bearer token of {@code LIBCHAN_TOKEN} unless {@code --token} gave one. */
    static Settings clientSettings(Options o) {
        Settings settings = o.settings.build();
        String envToken = System.getenv("LIBCHAN_TOKEN");
        if (settings.bearerToken().isEmpty() && envToken != null && !envToken.isBlank()) {
            settings = settings.toBuilder().bearerToken(envToken.trim()).build();
        }
        return settings;
    }

    /** Exit 2; with not a line from the server and no dialect chosen, the likeliest cause. */
    private static int timedOut(Options o, Settings settings, CliJson json, PrintStream err) {
        err.println("libchan: timed out after " + o.timeout.toMillis() + " ms");
        if (!json.printedAny.get() && settings.dialect().isEmpty()) {
            // a Go v0.1.0 server cannot decode a head-dialect message (the ext codes differ) and says nothing
            err.println("libchan: no answer at all from the server: a Go libchan v0.1.0 server needs --dialect v0.1.0");
        }
        return 2;
    }

    /** Prints what comes on {@code ret} until it closes. */
    private static void printUntilClosed(Pipe ret, CliJson json, long deadline) {
        try {
            while (true) {
                json.print(ret.receiver().receive(Object.class, remaining(deadline)), null);
            }
        } catch (EndOfChannelException end) {
            // ret closed: the reply is complete
        }
    }

    private static Duration remaining(long deadline) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            throw new ChannelTimeoutException("call timed out");
        }
        return Duration.ofNanos(left);
    }

    /** Parsed command line. */
    static final class Options {
        String command;
        String listen;
        String local;
        final List<String> targets = new ArrayList<>();
        Duration timeout = Duration.ofSeconds(30);
        int threads = EchoThreads.defaultThreads();
        boolean waitNested;
        final List<String> positional = new ArrayList<>();
        final Settings.Builder settings = Settings.builder();

        static Options parse(String[] args) {
            Options o = new Options();
            o.command = args[0];
            for (int i = 1; i < args.length; i++) {
                String a = args[i];
                if (!a.startsWith("--")) {
                    o.positional.add(a);
                    continue;
                }
                String name = a.substring(2);
                String value;
                int eq = name.indexOf('=');
                if (eq >= 0) {
                    value = name.substring(eq + 1);
                    name = name.substring(0, eq);
                } else if (name.equals("insecure")) {
                    value = "true";
                } else {
                    if (i + 1 >= args.length) {
                        throw new IllegalArgumentException("--" + name + " needs a value");
                    }
                    value = args[++i];
                }
                switch (name) {
                    case "listen":
                        o.listen = value;
                        break;
                    case "local":
                        o.local = value;
                        break;
                    case "target":
                        o.targets.add(value);
                        break;
                    case "timeout":
                        o.timeout = Settings.Builder.parseDuration(value);
                        break;
                    case "threads":
                        o.threads = positiveInt(name, value);
                        break;
                    case "token":
                        o.settings.bearerToken(value);
                        break;
                    case "wait":
                        if (!value.equals("ret") && !value.equals("nested")) {
                            throw new IllegalArgumentException("--wait takes ret or nested, not '" + value + "'");
                        }
                        o.waitNested = value.equals("nested");
                        break;
                    default:
                        o.settings.set(name, value);
                }
            }
            return o;
        }

        private static int positiveInt(String name, String value) {
            try {
                int n = Integer.parseInt(value.trim());
                if (n > 0) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new IllegalArgumentException("--" + name + " needs a positive integer, not '" + value + "'");
        }
    }
}
