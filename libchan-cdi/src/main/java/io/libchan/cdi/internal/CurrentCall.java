package io.libchan.cdi.internal;

import io.libchan.cdi.ChannelCall;
import java.net.URI;
import java.security.Principal;
import java.util.Optional;

/**
 * The endpoint call running on this thread, behind the request-scoped {@link ChannelCall} bean:
 * the dispatcher sets it around each call, and the bean instance, created lazily inside that
 * call's request context, captures it. Thread-confined.
 */
final class CurrentCall {
    private static final ThreadLocal<CallInfo> CURRENT = new ThreadLocal<>();

    private CurrentCall() {
    }

    /** Runs {@code call} with {@code info} as the current call. */
    static void runAs(CallInfo info, Runnable call) {
        CallInfo previous = CURRENT.get();
        CURRENT.set(info);
        try {
            call.run();
        } finally {
            if (previous == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(previous);
            }
        }
    }

    /** The {@link ChannelCall} for a new request-scoped instance: the current call, or one that refuses to answer. */
    static ChannelCall capture() {
        CallInfo info = CURRENT.get();
        return info != null ? info : Outside.INSTANCE;
    }

    /** The {@link ChannelCall} of a request that is not an endpoint call. */
    private static final class Outside implements ChannelCall {
        static final Outside INSTANCE = new Outside();

        @Override
        public String endpoint() {
            throw outside();
        }

        @Override
        public Optional<String> channelName() {
            throw outside();
        }

        @Override
        public String source() {
            throw outside();
        }

        @Override
        public URI uri() {
            throw outside();
        }

        @Override
        public Optional<Principal> peerPrincipal() {
            throw outside();
        }

        @Override
        public boolean isPeerInRole(String role) {
            throw outside();
        }

        private static IllegalStateException outside() {
            return new IllegalStateException(UserMessages.notInEndpointCall());
        }
    }
}
