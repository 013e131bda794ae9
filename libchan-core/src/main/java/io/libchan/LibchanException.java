package io.libchan;

/**
 * Base of every error libchan reports. Unchecked, so channel code reads like Go's and fits in
 * lambdas and managed beans; each subclass names one way a channel operation can fail.
 *
 * <p>Catch a subclass to tell the cases apart: {@link EndOfChannelException} (the sender closed:
 * not a failure), {@link ChannelClosedException}, {@link ConnectionLostException},
 * {@link ProtocolException}, {@link MessageTooLargeException}, {@link ChannelTimeoutException},
 * {@link ChannelInterruptedException}, {@link MessageTypeException}, {@link RemoteErrorException}.
 */
public class LibchanException extends RuntimeException {
    public LibchanException(String message) {
        super(message);
    }

    public LibchanException(String message, Throwable cause) {
        super(message, cause);
    }
}
