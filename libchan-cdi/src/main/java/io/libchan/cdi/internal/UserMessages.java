package io.libchan.cdi.internal;

import java.lang.reflect.Type;
import java.net.URI;
import java.util.Set;

/**
 * Every message this module shows a user (deployment errors, exception texts, log lines), in one
 * place, so they stay consistent and name the configuration key or code to change. Stateless.
 */
final class UserMessages {
    private UserMessages() {
    }

    // ------------------------------------------------------------------ deployment

    static String deploymentFailed(int count) {
        return "libchan-cdi: " + count + " problem" + (count == 1 ? "" : "s") + " in the libchan configuration";
    }

    static String malformedKey(String prefix) {
        return "expected " + prefix + "<name>.<setting>";
    }

    static String missingUri(String requiredBy) {
        return "missing; every channel needs a URI such as inmem:orders or tcp://host:9323 (required by "
                + requiredBy + ")";
    }

    static String uriWithoutScheme(String text) {
        return "'" + text + "' has no scheme; write e.g. inmem:" + text + " or tcp://" + text;
    }

    static String badUri(String text, String reason) {
        return "'" + text + "' is not a URI: " + reason;
    }

    static String unknownScheme(String scheme, Set<String> known) {
        return "no libchan transport for '" + scheme + ":' on the class path (known: " + String.join(", ", known) + ")";
    }

    static String badConnectMode(String mode) {
        return "'" + mode + "' is neither startup nor lazy";
    }

    static String remoteKeyOnInAppChannel() {
        return "only for channels to a peer; this channel's inmem: URI is in-app (to reach an inmem listener"
                + " as a peer, write inmem://<listener>)";
    }

    static String bufferOnRemoteChannel() {
        return "only for in-app inmem:<name> channels";
    }

    static String unknownEndpointSetting() {
        return "unknown endpoint setting (known: max-concurrency)";
    }

    static String notANonNegativeInteger(String value) {
        return "'" + value + "' is not a whole number >= 0";
    }

    static String notAPositiveDuration(String value) {
        return "'" + value + "' is not a positive duration (e.g. 500ms, 5s, PT1M)";
    }

    static String virtualThreadsNeedJava21(int feature) {
        return "virtual threads need Java 21 or later; this is Java " + feature + " (give a number of threads)";
    }

    static String badThreads(String value) {
        return "'" + value + "' is neither a whole number > 0 nor 'virtual'";
    }

    static String unreadable(String reason) {
        return "cannot be read: " + reason;
    }

    static String blankChannelName() {
        return "@Channel needs a channel name";
    }

    static String unsupportedInjectionType(Type type) {
        return "@Channel can inject io.libchan.Sender, Receiver or Transport, not " + type.getTypeName();
    }

    static String receiverOfRemoteChannel(URI uri, String where) {
        return uri + " is a peer, and a Receiver cannot be injected for a channel to a peer (at " + where
                + "); send a Sender inside the message for replies, or serve the channels the peer opens with"
                + " @ChannelEndpoint, or inject the Transport and call waitReceiveChannel()";
    }

    static String transportOfInAppChannel(URI uri, Class<?> type, String where) {
        return uri + " is an in-app channel, which has no session to inject as a " + type.getSimpleName() + " (at " + where
                + "); to reach an inmem listener as a peer, write inmem://<listener>";
    }

    static String blankEndpointName() {
        return "@ChannelEndpoint needs an endpoint name";
    }

    static String endpointNotCallable() {
        return "a @ChannelEndpoint method must be neither static nor private";
    }

    static String badEndpointSignature() {
        return "a @ChannelEndpoint method takes (), (message) or (message, io.libchan.Sender reply)";
    }

    static String negativeMaxConcurrency(int value) {
        return "maxConcurrency must be >= 0, not " + value;
    }

    static String duplicateEndpoint(String first, String second) {
        return "declared by both " + first + " and " + second;
    }

    static String serverWithoutEndpoints() {
        return "there is no @ChannelEndpoint method (nor libchan.gateway target) to serve";
    }

    static String notABoolean(String value) {
        return "'" + value + "' is neither true nor false";
    }

    static String unauthenticatedListener(String server) {
        return "this listener would serve anyone on the network: authenticate its peers with a"
                + " io.libchan.cdi.PeerAuthenticator bean (bearer tokens, TLS client certificates), with the server's"
                + " MicroProfile JWT (bearer tokens), or with clientAuth=need and the server's security domain or a"
                + " Jakarta Security IdentityStore (client certificates), or say it is"
                + " anonymous with " + ConfigKeys.server(server, ConfigKeys.ANONYMOUS) + "=true and list what anyone"
                + " may call in " + ConfigKeys.server(server, ConfigKeys.ENDPOINTS) + "=a,b";
    }

    static String anonymousWithoutEndpoints(String server) {
        return "an anonymous listener lists the endpoints anyone may call (" + ConfigKeys.server(server, ConfigKeys.ENDPOINTS)
                + "=a,b; " + ConfigKeys.server(server, ConfigKeys.ANONYMOUS) + "=true)";
    }

    static String restrictedEndpointAnonymous(String endpoint, java.util.Collection<String> roles) {
        return "@ChannelEndpoint(\"" + endpoint + "\") is " + (roles.isEmpty() ? "@DenyAll" : "@RolesAllowed(" + roles + ")")
                + ": never reachable anonymously; serve it on a listener that authenticates";
    }

    static String defaultEndpointNotListed(String endpoint, java.util.Collection<String> listed) {
        return "'" + endpoint + "' is not among the endpoints this server serves " + listed;
    }

    static String ambiguousAuthenticators(Object beans) {
        return "more than one PeerAuthenticator bean: " + beans;
    }

    static String peerRefused(String server, URI uri, String why) {
        return "server '" + server + "' (" + uri + ") refused a peer: " + why;
    }

    static String noSuchEndpoint(String name) {
        return "there is no @ChannelEndpoint(\"" + name + "\")";
    }

    static String cannotListen(Exception e) {
        return "cannot listen: " + e.getMessage();
    }

    // ------------------------------------------------------------------ runtime

    static String notRunning() {
        return "libchan-cdi is not running: the deployment failed or the application is shut down";
    }

    static String notInjectable(String kind, String channel) {
        return "no " + kind + " for @Channel(\"" + channel + "\"): check libchan.channel." + channel + ".uri";
    }

    static String notInEndpointCall() {
        return "ChannelCall is only available during a @ChannelEndpoint call";
    }

    static String notConnected(String channel, URI uri) {
        return "channel '" + channel + "' is not connected to " + uri + "; reconnecting in the background";
    }

    static String sessionLost(String channel, URI uri) {
        return "channel '" + channel + "' lost its session with " + uri + "; reconnecting in the background";
    }

    static String connectFailed(URI uri, Exception e) {
        return "cannot connect to " + uri + ": " + e.getMessage();
    }

    static String channelShutDown(String channel) {
        return "channel '" + channel + "' is closed: the application is shutting down";
    }

    static String startupConnectFailed(String channel, URI uri, Exception e) {
        return "channel '" + channel + "' could not connect to " + uri + " at startup (" + e.getMessage()
                + "); retrying in the background";
    }

    static String reconnectFailed(String channel, URI uri, Exception e) {
        return "channel '" + channel + "': reconnect to " + uri + " failed: " + e.getMessage();
    }

    static String reconnected(String channel, URI uri) {
        return "channel '" + channel + "' reconnected to " + uri;
    }

    static String endpointDenied(String endpoint) {
        return "endpoint '" + endpoint + "' is @DenyAll: nobody may call it";
    }

    static String roleMissing(String endpoint, java.util.Set<String> roles) {
        return "endpoint '" + endpoint + "' needs one of the roles " + roles + ", which the peer of this session does not hold";
    }

    static String routeNamesUnknownEndpoints(java.util.Set<String> unknown, java.util.Set<String> known) {
        return "the route names endpoints this application does not have: " + new java.util.TreeSet<>(unknown)
                + " (its endpoints: " + new java.util.TreeSet<>(known) + ")";
    }

    static String shuttingDown() {
        return "libchan-cdi: the application is shutting down; no new sessions are served";
    }

    static String unknownEndpoint(String name, String source) {
        return "no endpoint '" + name + "' on '" + source + "'";
    }

    static String noDefaultEndpoint(String source, java.util.Optional<String> key) {
        return "no endpoint for unnamed channels on '" + source + "'" + key.map(k -> " (" + k + " sets one)").orElse("");
    }

    static String servletListenersWithoutCdi(java.util.Set<String> servers) {
        return "libchan listeners in the servlet context for the servers " + servers
                + ", but libchan-cdi is not running in this application (no CDI?): nobody serves them";
    }

    static String noTransportInjected(String channel) {
        return "channels the peer opens on '" + channel + "' are kept only when a @Channel(\"" + channel
                + "\") Transport is injected";
    }

    static String notAccessible(String reason) {
        return "cannot be called reflectively: " + reason;
    }

    static String endpointFailed(String endpoint, String source) {
        return "endpoint '" + endpoint + "' failed on a message from '" + source + "'; sent as an error reply";
    }

    static String endpointFailedWithoutReplyChannel(String endpoint, String source) {
        return "endpoint '" + endpoint + "' failed on a message from '" + source
                + "' that has no reply channel to report it on";
    }

    static String resultWithoutReplyChannel(String endpoint) {
        return "endpoint '" + endpoint + "' returned a result for a message without a reply channel; dropped";
    }

    static String replyFailed(String endpoint, Throwable e) {
        return "endpoint '" + endpoint + "': could not send the reply: " + e;
    }

    static String channelFailed(String endpoint, String source, Throwable e) {
        return "channel from '" + source + "' to endpoint '" + endpoint + "' ended with " + e;
    }

    static String sessionFailed(String source, URI uri, Throwable e) {
        return "session of '" + source + "' (" + uri + ") failed: " + e;
    }

    static String sessionNotServed(String server, Exception e) {
        return "server '" + server + "' could not serve a session it accepted: " + e;
    }

    static String routingFailed(String source, Exception e) {
        return "could not serve a channel opened on '" + source + "': " + e;
    }

    static String notAHandedOverServer(String server, java.net.URI listen) {
        return "server '" + server + "' listens on " + listen + " itself (libchan.server." + server
                + ".listen); a listener the application opens is served under a name without a listen key";
    }

    static String alreadyServesAListener(String server, java.net.URI uri) {
        return "server '" + server + "' already serves the listener at " + uri;
    }

    static String noSuchServer(String server, java.util.Set<String> known) {
        return "no libchan server named '" + server + "' (servers: " + new java.util.TreeSet<>(known) + ")";
    }

    static String noListenerYet(String server) {
        return "server '" + server + "' has no listener yet: the application has not handed one over with ChannelServers.serve(\""
                + server + "\", listener)";
    }

    static String waitsForListener(String server) {
        return "server '" + server + "' has no listen key: it serves the listener the application hands over with "
                + "ChannelServers.serve(\"" + server + "\", listener), or a servlet extension leaves in the servlet context"
                + " as " + io.libchan.cdi.ChannelServers.SERVLET_ATTRIBUTE_PREFIX + server;
    }

    static String acceptFailed(String server, Throwable e) {
        return "server '" + server + "' stopped accepting sessions: " + e;
    }

    static String observerFailed(Object event, Exception e) {
        return "an observer of " + event + " failed: " + e;
    }

    static String shutdownStepFailed(String step, Exception e) {
        return "shutdown step '" + step + "' failed: " + e;
    }

    static String noMeterRegistry(Throwable e) {
        return "libchan-cdi: the application's Micrometer MeterRegistry could not be used, libchan's meters are not in it: " + e;
    }

    static String shutdownTimedOut() {
        return "libchan-cdi: some sessions were still draining when the drain timeout passed; closed anyway";
    }

    static String unknownGatewayKey() {
        return "not a gateway key: a target has " + ConfigKeys.GATEWAY_PREFIX + "<name>.target and .roles, the gateway "
                + ConfigKeys.GATEWAY_PREFIX + ConfigKeys.CONNECT_TIMEOUT + " and " + ConfigKeys.GATEWAY_PREFIX + ConfigKeys.MAX_TUNNELS;
    }

    static String missingGatewayTarget() {
        return "missing; every gateway target needs a URI such as tcp://db.internal:5432 or unix:///run/postgresql/.s.PGSQL.5432";
    }

    static String badGatewayTarget(String reason) {
        return reason;
    }

    static String notAPositiveInteger(String value) {
        return "'" + value + "' is not a positive integer";
    }

    static String noSuchTarget(String name) {
        return "there is no gateway target '" + name + "' (" + ConfigKeys.gateway(name, ConfigKeys.TARGET) + ")";
    }

    static String restrictedTargetAnonymous(String target, java.util.Collection<String> roles) {
        return "gateway target '" + target + "' is limited to roles " + new java.util.TreeSet<>(roles)
                + ": never reachable anonymously; offer it on a listener that authenticates";
    }

    static String reservedEndpointName(String name) {
        return "'" + name + "' is a channel libchan itself serves (the gateway, the directory): pick another name";
    }
}
