/**
 * The tcp gateway: a libchan server that tunnels byte streams to the TCP and unix-socket targets it
 * names, and a client that opens such tunnels ({@link io.libchan.gateway.Gateway}). The message
 * and its answers are in PROTOCOL.md, "The gateway", so Go and jschan clients can use it too.
 */
package io.libchan.gateway;
