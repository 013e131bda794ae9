package io.libchan;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/**
 * Everything a session can be tuned with: dialect, limits, timeouts, TLS. Immutable; build one with
 * {@link #builder()}, or take {@link #defaults()}. Every limit has a safe default, so bad or hostile
 * input gets a clear error instead of memory exhaustion or a hang. URI query parameters override
 * these ({@link #withUriParameters(URI)}): {@code dialect}, {@code insecure}, {@code truststore},
 * {@code truststorePassword}, {@code keystore}, {@code keystorePassword}, {@code clientAuth},
 * {@code channel}, {@code codec}.
 *
 * <p><b>What a session costs.</b> Over {@code tcp://}, {@code tls://} and {@code unix://} every
 * connection is read by a few shared I/O threads (one per core; {@code -Dlibchan.ioThreads=N}):
 * no thread is parked per connection, session or channel. An idle session holds no buffer
 * (reading borrows its I/O thread's, writing borrows a pooled one only while bytes wait) and no
 * zlib state unless its peer compresses its header blocks (Go, jschan: an inflater, some 40 KiB of
 * native memory); measured (IdleConnectionsTest): about 6.5 KiB of heap per idle plain-TCP session
 * on the server, the bound kept is 16 KiB; a TLS session adds its engine, about 6 KiB. An idle
 * channel holds a few hundred bytes and no buffer (its message and byte-stream buffers are made on
 * the first byte and dropped when emptied). Bytes received and not yet taken by the application are
 * bounded per listener by {@link #maxBufferedBytes()}; a listener takes at most
 * {@link #maxConnections()} connections.
 */
public final class Settings {
    private final Optional<Dialect> dialect;
    private final String codec;
    private final int maxMessageBytes;
    private final int maxFrameBytes;
    private final int maxHeaderBlockBytes;
    private final int maxStreams;
    private final int maxConnections;
    private final long maxBufferedBytes;
    private final int maxNestingDepth;
    private final int streamWindowBytes;
    private final Duration refWaitTimeout;
    private final Duration keepAliveInterval;
    private final Duration keepAliveTimeout;
    private final Duration connectTimeout;
    private final Duration dialectDetectTimeout;
    private final Duration firstStreamTimeout;
    private final Duration drainTimeout;
    private final SSLContext sslContext;
    private final boolean insecure;
    private final Path trustStore;
    private final String trustStorePassword;
    private final Path keyStore;
    private final String keyStorePassword;
    private final String clientAuth;
    private final String channelName;
    private final String bearerToken;
    private final java.util.concurrent.Executor executor;
    private final java.util.concurrent.ThreadFactory threadFactory;
    private final java.util.concurrent.ScheduledExecutorService scheduler;
    private final io.opentelemetry.api.OpenTelemetry openTelemetry;

    private Settings(Builder b) {
        this.dialect = Optional.ofNullable(b.dialect);
        this.codec = b.codec;
        this.maxMessageBytes = b.maxMessageBytes;
        this.maxFrameBytes = b.maxFrameBytes;
        this.maxHeaderBlockBytes = b.maxHeaderBlockBytes;
        this.maxStreams = b.maxStreams;
        this.maxConnections = b.maxConnections;
        this.maxBufferedBytes = b.maxBufferedBytes;
        this.maxNestingDepth = b.maxNestingDepth;
        this.streamWindowBytes = b.streamWindowBytes;
        this.refWaitTimeout = b.refWaitTimeout;
        this.keepAliveInterval = b.keepAliveInterval;
        this.keepAliveTimeout = b.keepAliveTimeout;
        this.connectTimeout = b.connectTimeout;
        this.dialectDetectTimeout = b.dialectDetectTimeout;
        this.firstStreamTimeout = b.firstStreamTimeout;
        this.drainTimeout = b.drainTimeout;
        this.sslContext = b.sslContext;
        this.insecure = b.insecure;
        this.trustStore = b.trustStore;
        this.trustStorePassword = b.trustStorePassword;
        this.keyStore = b.keyStore;
        this.keyStorePassword = b.keyStorePassword;
        this.clientAuth = b.clientAuth;
        this.channelName = b.channelName;
        this.bearerToken = b.bearerToken;
        this.executor = b.executor;
        this.threadFactory = b.threadFactory;
        this.scheduler = b.scheduler;
        this.openTelemetry = b.openTelemetry;
    }

    private static final Settings DEFAULTS = new Builder().build();

    public static Settings defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** The dialect to speak; empty means HEAD for a client and detect-per-session for a server. */
    public Optional<Dialect> dialect() {
        return dialect;
    }

    /**
     * Message codec name: {@code msgpack} (default, the libchan wire), {@code json}, or another
     * installed codec. A client offers it to its peer, which may decline (then msgpack); a listener
     * left at msgpack takes whichever installed codec a client offers, one set to another codec takes
     * only that one (PROTOCOL.md section 8).
     */
    public String codec() {
        return codec;
    }

    /** Largest message accepted or sent, in encoded bytes (default 16 MiB). */
    public int maxMessageBytes() {
        return maxMessageBytes;
    }

    /** Largest SPDY frame accepted (default 2^24-1, the protocol's maximum). */
    public int maxFrameBytes() {
        return maxFrameBytes;
    }

    /** Largest decompressed SPDY header block (default 64 KiB): a decompression bomb is refused. */
    public int maxHeaderBlockBytes() {
        return maxHeaderBlockBytes;
    }

    /** Most streams (channels and byte streams) open at once in a session (default 4096). */
    public int maxStreams() {
        return maxStreams;
    }

    /**
     * Most connections a listener keeps at once (default 10,000). Past it a new connection gets a
     * GOAWAY (plain TCP and unix sockets; a TLS connection is only closed) and is closed at once;
     * the refusals are logged at most once a second.
     */
    public int maxConnections() {
        return maxConnections;
    }

    /**
     * The bytes received from peers and not yet taken by the application that a listener's
     * sessions may hold together (a client session has a budget of its own): default a quarter of
     * the maximum heap. When it is spent, sessions pause reading (TCP's window holds the peers
     * back) until the application takes messages and the budget is three quarters full again. A
     * message can only be taken whole, so one session at a time may go on to finish the messages
     * it is in the middle of, while all together hold at most this plus {@link #maxMessageBytes()};
     * a session that makes no progress for 10 s in that turn has its unfinished messages refused
     * (its peer's channels are reset, {@code MessageTooLargeException} here). A session whose
     * application is sending to its peer and waits for the peer's flow-control window reads on (it
     * needs the peer's window updates; the peer's windows bound what it sends meanwhile). So N
     * peers sending max-size messages at once slow down instead of exhausting memory (BigMessagesTest:
     * 16 messages of 15 MiB at once to a server at {@code -Xmx256m}, all answered).
     */
    public long maxBufferedBytes() {
        return maxBufferedBytes;
    }

    /** Deepest nesting of maps and arrays in a message (default 64). */
    public int maxNestingDepth() {
        return maxNestingDepth;
    }

    /** Per-stream receive window between Java peers (default 1 MiB). */
    public int streamWindowBytes() {
        return streamWindowBytes;
    }

    /** How long a message's reference may wait for its stream to open before the channel fails (default 10 s). */
    public Duration refWaitTimeout() {
        return refWaitTimeout;
    }

    /** Idle time after which a PING is sent (default 30 s; zero disables keep-alive). */
    public Duration keepAliveInterval() {
        return keepAliveInterval;
    }

    /** How long to wait for the PING reply before the connection is declared lost (default 20 s). */
    public Duration keepAliveTimeout() {
        return keepAliveTimeout;
    }

    /** Connect (and TLS handshake) timeout (default 10 s). */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /** How long a server waits for the first top-level stream to learn the dialect (default 5 s). */
    public Duration dialectDetectTimeout() {
        return dialectDetectTimeout;
    }

    /**
     * Server of a {@code tcp://}, {@code tls://} or {@code unix://} listener: how long after the
     * connection (after the TLS handshake) a top-level channel must be opened, by the peer or by the
     * application, before the session is closed with GOAWAY (default 10 s; zero: no limit). A peer
     * that connects and sends nothing, or only PINGs, holds a connection no longer; on a server that
     * authenticates its peers on their first channel (PROTOCOL.md section 4.6) this bounds how long
     * an unauthenticated connection stays.
     */
    public Duration firstStreamTimeout() {
        return firstStreamTimeout;
    }

    /** How long a graceful close waits for streams to finish before cutting the connection (default 10 s). */
    public Duration drainTimeout() {
        return drainTimeout;
    }

    /** An explicit TLS context; when absent one is built from the key and trust stores. */
    public Optional<SSLContext> sslContext() {
        return Optional.ofNullable(sslContext);
    }

    /** Client: trust any server certificate (tests only). */
    public boolean insecure() {
        return insecure;
    }

    public Optional<Path> trustStore() {
        return Optional.ofNullable(trustStore);
    }

    public Optional<String> trustStorePassword() {
        return Optional.ofNullable(trustStorePassword);
    }

    public Optional<Path> keyStore() {
        return Optional.ofNullable(keyStore);
    }

    public Optional<String> keyStorePassword() {
        return Optional.ofNullable(keyStorePassword);
    }

    /** Server: {@code none} (default), {@code want} or {@code need} a client certificate. */
    public String clientAuth() {
        return clientAuth;
    }

    /** The default endpoint name for channels opened with {@link Transport#newSendChannel()}, if any. */
    public Optional<String> channelName() {
        return Optional.ofNullable(channelName);
    }

    /**
     * A client's credential for a server that authenticates its peers: sent as
     * {@code authorization: Bearer <token>} on the first top-level SYN_STREAM of each session
     * (PROTOCOL.md section 4.6). Never taken from a URI (URIs end up in logs); set it here or as
     * the {@code bearer-token} key of MicroProfile Config.
     */
    public Optional<String> bearerToken() {
        return Optional.ofNullable(bearerToken);
    }

    /**
     * Where sessions run pumps, async sends and push delivery; empty: the library's own threads.
     * In a Jakarta EE container pass the {@code ManagedExecutorService}.
     */
    public Optional<java.util.concurrent.Executor> executor() {
        return Optional.ofNullable(executor);
    }

    /**
     * Makes the I/O threads that accept and read connections (a few, shared by every listener and
     * client with the same factory); e.g. a {@code ManagedThreadFactory}.
     */
    public Optional<java.util.concurrent.ThreadFactory> threadFactory() {
        return Optional.ofNullable(threadFactory);
    }

    /** Runs keep-alive and timeouts; e.g. a {@code ManagedScheduledExecutorService}. */
    public Optional<java.util.concurrent.ScheduledExecutorService> scheduler() {
        return Optional.ofNullable(scheduler);
    }

    /**
     * Where sessions report their metrics (README.md, "Metrics"). Empty (the default): the
     * OpenTelemetry the application installed with {@code GlobalOpenTelemetry.set}, looked up when
     * each session or listener starts and never forced into being (so an SDK installed later is
     * still picked up), else none. Set it when the OpenTelemetry comes from elsewhere (a CDI bean of
     * MicroProfile Telemetry), or pass {@code OpenTelemetry.noop()} to turn metrics off.
     */
    public Optional<io.opentelemetry.api.OpenTelemetry> openTelemetry() {
        return Optional.ofNullable(openTelemetry);
    }

    /** These settings with the URI's query parameters applied on top. */
    public Settings withUriParameters(URI uri) {
        Map<String, String> params = queryParameters(uri);
        if (params.isEmpty()) {
            return this;
        }
        Builder b = toBuilder();
        params.forEach((key, value) -> {
            if (key.replace("-", "").replace("_", "").equalsIgnoreCase("bearertoken")) {
                // never echo the value: it is a secret
                throw new IllegalArgumentException("a bearer token is not taken from a URI (URIs are logged):"
                        + " set it in Settings (Settings.Builder.bearerToken) instead");
            }
            b.set(key, value);
        });
        return b.build();
    }

    /** The decoded query parameters of a URI, in order. */
    public static Map<String, String> queryParameters(URI uri) {
        Map<String, String> params = new LinkedHashMap<>();
        String query = uri.getRawQuery();
        if (query == null || query.isEmpty()) {
            return params;
        }
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "true" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            params.put(key, value);
        }
        return params;
    }

    /** The names {@link Builder#set(String, String)} accepts, in the camelCase form used in URIs. */
    public static java.util.List<String> keys() {
        return java.util.List.of("dialect", "codec", "maxMessageBytes", "maxFrameBytes", "maxHeaderBlockBytes",
                "maxStreams", "maxConnections", "maxBufferedBytes", "maxNestingDepth", "streamWindowBytes", "refWaitTimeout", "keepAliveInterval",
                "keepAliveTimeout", "connectTimeout", "dialectDetectTimeout", "firstStreamTimeout", "drainTimeout", "insecure",
                "truststore", "truststorePassword", "keystore", "keystorePassword", "clientAuth", "channel");
    }

    /** Builds {@link Settings}; not thread-safe. */
    public static final class Builder {
        private Dialect dialect;
        private String codec = "msgpack";
        private int maxMessageBytes = 16 * 1024 * 1024;
        private int maxFrameBytes = 0xFFFFFF;
        private int maxHeaderBlockBytes = 64 * 1024;
        private int maxStreams = 4096;
        private int maxConnections = 10_000;
        private long maxBufferedBytes = Runtime.getRuntime().maxMemory() / 4;
        private int maxNestingDepth = 64;
        private int streamWindowBytes = 1024 * 1024;
        private Duration refWaitTimeout = Duration.ofSeconds(10);
        private Duration keepAliveInterval = Duration.ofSeconds(30);
        private Duration keepAliveTimeout = Duration.ofSeconds(20);
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration dialectDetectTimeout = Duration.ofSeconds(5);
        private Duration firstStreamTimeout = Duration.ofSeconds(10);
        private Duration drainTimeout = Duration.ofSeconds(10);
        private SSLContext sslContext;
        private boolean insecure;
        private Path trustStore;
        private String trustStorePassword;
        private Path keyStore;
        private String keyStorePassword;
        private String clientAuth = "none";
        private String channelName;
        private String bearerToken;
        private java.util.concurrent.Executor executor;
        private java.util.concurrent.ThreadFactory threadFactory;
        private java.util.concurrent.ScheduledExecutorService scheduler;
        private io.opentelemetry.api.OpenTelemetry openTelemetry;

        private Builder() {
        }

        private Builder(Settings s) {
            dialect = s.dialect.orElse(null);
            codec = s.codec;
            maxMessageBytes = s.maxMessageBytes;
            maxFrameBytes = s.maxFrameBytes;
            maxHeaderBlockBytes = s.maxHeaderBlockBytes;
            maxStreams = s.maxStreams;
            maxConnections = s.maxConnections;
            maxBufferedBytes = s.maxBufferedBytes;
            maxNestingDepth = s.maxNestingDepth;
            streamWindowBytes = s.streamWindowBytes;
            refWaitTimeout = s.refWaitTimeout;
            keepAliveInterval = s.keepAliveInterval;
            keepAliveTimeout = s.keepAliveTimeout;
            connectTimeout = s.connectTimeout;
            dialectDetectTimeout = s.dialectDetectTimeout;
            firstStreamTimeout = s.firstStreamTimeout;
            drainTimeout = s.drainTimeout;
            sslContext = s.sslContext;
            insecure = s.insecure;
            trustStore = s.trustStore;
            trustStorePassword = s.trustStorePassword;
            keyStore = s.keyStore;
            keyStorePassword = s.keyStorePassword;
            clientAuth = s.clientAuth;
            channelName = s.channelName;
            bearerToken = s.bearerToken;
            executor = s.executor;
            threadFactory = s.threadFactory;
            scheduler = s.scheduler;
            openTelemetry = s.openTelemetry;
        }

        /**
         * Sets one setting by its name as used in URIs and MicroProfile Config (camelCase or
         * dashed, e.g. {@code maxMessageBytes} or {@code max-message-bytes}); durations accept
         * ISO-8601 ({@code PT5S}) or plain milliseconds, or a number with ms/s/m suffix.
         *
         * @throws IllegalArgumentException naming the setting when the name or value is bad
         */
        public Builder set(String name, String value) {
            String key = name.replace("-", "").replace("_", "").toLowerCase(Locale.ROOT);
            try {
                switch (key) {
                    case "dialect": return dialect(value.isBlank() || value.equalsIgnoreCase("auto") ? null : Dialect.parse(value));
                    case "codec": return codec(value);
                    case "maxmessagebytes": return maxMessageBytes(Integer.parseInt(value.trim()));
                    case "maxframebytes": return maxFrameBytes(Integer.parseInt(value.trim()));
                    case "maxheaderblockbytes": return maxHeaderBlockBytes(Integer.parseInt(value.trim()));
                    case "maxstreams": return maxStreams(Integer.parseInt(value.trim()));
                    case "maxconnections": return maxConnections(Integer.parseInt(value.trim()));
                    case "maxbufferedbytes": return maxBufferedBytes(Long.parseLong(value.trim()));
                    case "maxnestingdepth": return maxNestingDepth(Integer.parseInt(value.trim()));
                    case "streamwindowbytes": return streamWindowBytes(Integer.parseInt(value.trim()));
                    case "refwaittimeout": return refWaitTimeout(parseDuration(value));
                    case "keepaliveinterval": return keepAliveInterval(parseDuration(value));
                    case "keepalivetimeout": return keepAliveTimeout(parseDuration(value));
                    case "connecttimeout": return connectTimeout(parseDuration(value));
                    case "dialectdetecttimeout": return dialectDetectTimeout(parseDuration(value));
                    case "firststreamtimeout": return firstStreamTimeout(parseDuration(value));
                    case "draintimeout": return drainTimeout(parseDuration(value));
                    case "insecure": return insecure(parseBoolean(value));
                    case "truststore": return trustStore(Path.of(value));
                    case "truststorepassword": return trustStorePassword(value);
                    case "keystore": return keyStore(Path.of(value));
                    case "keystorepassword": return keyStorePassword(value);
                    case "clientauth": return clientAuth(value);
                    case "channel": return channelName(value);
                    case "bearertoken": return bearerToken(value);
                    default: throw new IllegalArgumentException("unknown libchan setting '" + name + "'");
                }
            } catch (RuntimeException e) {
                if (e.getMessage() != null && e.getMessage().startsWith("unknown libchan setting")) {
                    throw e;
                }
                throw new IllegalArgumentException("bad value '" + value + "' for libchan setting '" + name + "': " + e.getMessage(), e);
            }
        }

        private static boolean parseBoolean(String value) {
            String v = value.trim().toLowerCase(Locale.ROOT);
            if (v.equals("true") || v.equals("1") || v.equals("yes")) {
                return true;
            }
            if (v.equals("false") || v.equals("0") || v.equals("no")) {
                return false;
            }
            throw new IllegalArgumentException("expected true or false");
        }

        /** Parses {@code PT5S}, {@code 500ms}, {@code 5s}, {@code 2m} or plain milliseconds. */
        public static Duration parseDuration(String text) {
            String v = text.trim().toLowerCase(Locale.ROOT);
            if (v.startsWith("pt") || v.startsWith("p")) {
                return Duration.parse(text.trim().toUpperCase(Locale.ROOT));
            }
            if (v.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2).trim()));
            }
            if (v.endsWith("s")) {
                return Duration.ofMillis((long) (Double.parseDouble(v.substring(0, v.length() - 1).trim()) * 1000));
            }
            if (v.endsWith("m")) {
                return Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1).trim()) * 60);
            }
            return Duration.ofMillis(Long.parseLong(v));
        }

        public Builder dialect(Dialect value) { dialect = value; return this; }
        /**
         * The message codec: {@code msgpack} (default), {@code json}, or any other installed one
         * ({@code cbor}, {@code xml}, {@code protobuf} with libchan-codecs). Between Java peers the
         * session agrees on it when it starts (PROTOCOL.md section 8); other peers get msgpack.
         *
         * @throws IllegalArgumentException naming the value when no such codec is installed
         */
        public Builder codec(String value) {
            codec = io.libchan.internal.codec.MessageCodecs.check(Objects.requireNonNull(value).trim());
            return this;
        }
        public Builder maxMessageBytes(int value) { maxMessageBytes = positive("maxMessageBytes", value); return this; }
        public Builder maxFrameBytes(int value) {
            maxFrameBytes = positive("maxFrameBytes", Math.min(value, 0xFFFFFF));
            return this;
        }
        public Builder maxHeaderBlockBytes(int value) { maxHeaderBlockBytes = positive("maxHeaderBlockBytes", value); return this; }
        public Builder maxStreams(int value) { maxStreams = positive("maxStreams", value); return this; }
        public Builder maxConnections(int value) { maxConnections = positive("maxConnections", value); return this; }
        public Builder maxBufferedBytes(long value) {
            if (value <= 0) {
                throw new IllegalArgumentException("maxBufferedBytes must be positive");
            }
            maxBufferedBytes = value;
            return this;
        }
        public Builder maxNestingDepth(int value) { maxNestingDepth = positive("maxNestingDepth", value); return this; }
        public Builder streamWindowBytes(int value) { streamWindowBytes = positive("streamWindowBytes", value); return this; }
        public Builder refWaitTimeout(Duration value) { refWaitTimeout = Objects.requireNonNull(value); return this; }
        public Builder keepAliveInterval(Duration value) { keepAliveInterval = Objects.requireNonNull(value); return this; }
        public Builder keepAliveTimeout(Duration value) { keepAliveTimeout = Objects.requireNonNull(value); return this; }
        public Builder connectTimeout(Duration value) { connectTimeout = Objects.requireNonNull(value); return this; }
        public Builder dialectDetectTimeout(Duration value) { dialectDetectTimeout = Objects.requireNonNull(value); return this; }
        /** See {@link Settings#firstStreamTimeout()}; zero for no limit. */
        public Builder firstStreamTimeout(Duration value) {
            if (value.isNegative()) {
                throw new IllegalArgumentException("firstStreamTimeout must not be negative");
            }
            firstStreamTimeout = value;
            return this;
        }
        public Builder drainTimeout(Duration value) { drainTimeout = Objects.requireNonNull(value); return this; }
        public Builder sslContext(SSLContext value) { sslContext = value; return this; }
        public Builder insecure(boolean value) { insecure = value; return this; }
        public Builder trustStore(Path value) { trustStore = value; return this; }
        public Builder trustStorePassword(String value) { trustStorePassword = value; return this; }
        public Builder keyStore(Path value) { keyStore = value; return this; }
        public Builder keyStorePassword(String value) { keyStorePassword = value; return this; }
        public Builder clientAuth(String value) {
            String v = value.trim().toLowerCase(Locale.ROOT);
            if (!v.equals("none") && !v.equals("want") && !v.equals("need")) {
                throw new IllegalArgumentException("clientAuth must be none, want or need");
            }
            clientAuth = v;
            return this;
        }
        public Builder channelName(String value) { channelName = value; return this; }
        /** See {@link Settings#bearerToken()}; null for none. @throws IllegalArgumentException for a token a header cannot carry */
        public Builder bearerToken(String value) {
            if (value != null && (value.isBlank() || value.chars().anyMatch(c -> c < 0x21 || c > 0x7e))) {
                throw new IllegalArgumentException("a bearer token is printable ASCII without spaces");
            }
            bearerToken = value;
            return this;
        }
        public Builder executor(java.util.concurrent.Executor value) { executor = value; return this; }
        public Builder threadFactory(java.util.concurrent.ThreadFactory value) { threadFactory = value; return this; }
        public Builder scheduler(java.util.concurrent.ScheduledExecutorService value) { scheduler = value; return this; }
        /** See {@link Settings#openTelemetry()}; null goes back to the global one. */
        public Builder openTelemetry(io.opentelemetry.api.OpenTelemetry value) { openTelemetry = value; return this; }

        private static int positive(String name, int value) {
            if (value <= 0) {
                throw new IllegalArgumentException(name + " must be positive: " + value);
            }
            return value;
        }

        public Settings build() {
            return new Settings(this);
        }
    }
}
