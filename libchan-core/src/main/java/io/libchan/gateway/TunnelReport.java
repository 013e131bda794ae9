package io.libchan.gateway;

/**
 * What one tunnel of a {@link Gateway} did, told once it closed
 * ({@link Gateway.Builder#onTunnelClosed}).
 *
 * @param target the target's name
 * @param handedOver the target's socket was passed to the client as a file descriptor (unix
 *     sockets between Java peers): the gateway copied none of its bytes
 * @param bytesToTarget the bytes the gateway copied from the client to the target
 * @param bytesFromTarget the bytes the gateway copied from the target to the client
 */
public record TunnelReport(String target, boolean handedOver, long bytesToTarget, long bytesFromTarget) {
}
