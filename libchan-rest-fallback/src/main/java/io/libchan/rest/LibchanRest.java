package io.libchan.rest;

/**
 * The names this module is configured and recognised by. Configuration is MicroProfile Config,
 * read when the application starts; a bad value fails the start naming its key.
 *
 * <table>
 * <caption>keys</caption>
 * <tr><th>key</th><th>default</th><th>meaning</th></tr>
 * <tr><td>{@value #ENABLED}</td><td>{@code true}</td><td>{@code false}: every path of the module answers 404 and no WebSocket endpoint is added</td></tr>
 * <tr><td>{@value #ENDPOINTS}</td><td>{@code *} (every {@code @ChannelEndpoint})</td><td>comma-separated allow-list of the endpoints reachable over HTTP</td></tr>
 * <tr><td>{@value #DEFAULT_ENDPOINT}</td><td>the only exposed endpoint, if exactly one</td><td>where {@code POST …/call} without a name and unnamed WebSocket channels go</td></tr>
 * <tr><td>{@value #CALL_TIMEOUT}</td><td>{@code 30s}</td><td>how long a call waits for its first reply before {@code 504}</td></tr>
 * <tr><td>{@value #WEBSOCKET_ENABLED}</td><td>{@code true}</td><td>{@code false}: no WebSocket endpoint</td></tr>
 * <tr><td>{@value #ALLOWED_ORIGINS}</td><td>the application's own origin only</td><td>comma-separated web origins
 * ({@code https://app.example.com}) whose pages may also open the WebSocket and make calls; {@code *}: any. A
 * browser's request from any other origin gets {@code 403}; requests without {@code Origin} (no browser) pass</td></tr>
 * <tr><td>{@value #WEBSOCKET_MAX_SESSIONS}</td><td>{@code 10000}</td><td>most WebSocket sessions open at once; a
 * handshake past it gets {@code 503} with {@code Retry-After}, never a 101</td></tr>
 * <tr><td>{@value #WEBSOCKET_PATH}</td><td>{@code <@ApplicationPath>/libchan/ws}</td><td>the WebSocket path below the context root</td></tr>
 * <tr><td>{@code libchan.rest.<setting>}</td><td>{@link io.libchan.Settings} defaults</td><td>limits of every session, e.g. {@code libchan.rest.max-message-bytes}</td></tr>
 * </table>
 */
public final class LibchanRest {
    /** The prefix of every key. */
    public static final String PREFIX = "libchan.rest.";
    public static final String ENABLED = PREFIX + "enabled";
    public static final String ENDPOINTS = PREFIX + "endpoints";
    public static final String DEFAULT_ENDPOINT = PREFIX + "default-endpoint";
    public static final String CALL_TIMEOUT = PREFIX + "call-timeout";
    public static final String WEBSOCKET_ENABLED = PREFIX + "websocket.enabled";
    public static final String WEBSOCKET_PATH = PREFIX + "websocket.path";
    public static final String ALLOWED_ORIGINS = PREFIX + "allowed-origins";
    public static final String WEBSOCKET_MAX_SESSIONS = PREFIX + "websocket.max-sessions";

    /** {@link io.libchan.cdi.ChannelCall#source()} and the session events' name for sessions of this module. */
    public static final String SOURCE = "rest";
    /** The WebSocket subprotocol of the JSON framing (PROTOCOL.md section 13.4), for browsers. */
    public static final String JSON_SUBPROTOCOL = "libchan.json";
    /** The WebSocket subprotocol of SPDY/3 frames (PROTOCOL.md section 13.3), for Java and Go peers. */
    public static final String SPDY_SUBPROTOCOL = "libchan.spdy3";

    private LibchanRest() {
    }
}
