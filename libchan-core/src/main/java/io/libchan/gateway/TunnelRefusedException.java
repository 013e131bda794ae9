package io.libchan.gateway;

import io.libchan.RemoteErrorException;

/**
 * A gateway answered a tunnel request with an error reply; {@link #type()} says why:
 * {@link Gateway#UNKNOWN_TARGET}, {@link Gateway#FORBIDDEN}, {@link Gateway#CONNECT_FAILED},
 * {@link Gateway#BUSY} or {@link Gateway#BAD_REQUEST}, and the message gives the details.
 */
public class TunnelRefusedException extends RemoteErrorException {
    private static final long serialVersionUID = 1L;

    public TunnelRefusedException(String type, String message) {
        super(type, message);
    }
}
