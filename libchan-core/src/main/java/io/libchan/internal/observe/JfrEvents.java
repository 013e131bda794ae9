package io.libchan.internal.observe;

import io.libchan.Dialect;
import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/**
 * The JFR events of libchan ({@code jcmd <pid> JFR.start} shows them under "libchan"); only loaded
 * when the JVM has JFR ({@link LibchanEvents}). Names are {@code io.libchan.*}.
 */
final class JfrEvents {
    private JfrEvents() {
    }

    static void sessionOpened(SessionObservation s) {
        SessionOpened e = new SessionOpened();
        if (e.shouldCommit()) {
            e.transport = s.transport();
            e.peer = s.peer();
            e.dialect = dialect(s);
            e.listener = s.listener();
            e.commit();
        }
    }

    static void sessionClosed(SessionObservation s, Throwable failure) {
        SessionClosed e = new SessionClosed();
        if (e.shouldCommit()) {
            e.transport = s.transport();
            e.peer = s.peer();
            e.dialect = dialect(s);
            e.listener = s.listener();
            e.sessionDuration = System.nanoTime() - s.startNanos();
            e.bytesSent = s.count(SessionObservation.BYTES_SENT);
            e.bytesReceived = s.count(SessionObservation.BYTES_RECEIVED);
            e.messagesSent = s.count(SessionObservation.MESSAGES_SENT);
            e.messagesReceived = s.count(SessionObservation.MESSAGES_RECEIVED);
            e.failure = failure == null ? null : failure.getMessage();
            e.commit();
        }
    }

    static void protocolError(SessionObservation s, String type, String scope, String message) {
        ProtocolError e = new ProtocolError();
        if (e.shouldCommit()) {
            e.transport = s.transport();
            e.peer = s.peer();
            e.errorType = type;
            e.scope = scope;
            e.message = message;
            e.commit();
        }
    }

    static void messageRefused(SessionObservation s, String reason, String message) {
        MessageRefused e = new MessageRefused();
        if (e.shouldCommit()) {
            e.transport = s.transport();
            e.peer = s.peer();
            e.reason = reason;
            e.message = message;
            e.commit();
        }
    }

    private static String dialect(SessionObservation s) {
        Dialect d = s.dialectOrNull();
        return d == null ? null : d.id();
    }

    @Name("io.libchan.SessionOpened")
    @Label("libchan Session Opened")
    @Category("libchan")
    @Description("A libchan session started")
    @StackTrace(false)
    static final class SessionOpened extends Event {
        @Label("Transport")
        String transport;
        @Label("Peer")
        String peer;
        @Label("Dialect")
        String dialect;
        @Label("Listener")
        String listener;
    }

    @Name("io.libchan.SessionClosed")
    @Label("libchan Session Closed")
    @Category("libchan")
    @Description("A libchan session ended, cleanly or not (failure)")
    @StackTrace(false)
    static final class SessionClosed extends Event {
        @Label("Transport")
        String transport;
        @Label("Peer")
        String peer;
        @Label("Dialect")
        String dialect;
        @Label("Listener")
        String listener;
        @Label("Session Duration")
        @Timespan(Timespan.NANOSECONDS)
        long sessionDuration; // "duration" is the event's own (0 here: the event is an instant)
        @Label("Bytes Sent")
        @DataAmount
        long bytesSent;
        @Label("Bytes Received")
        @DataAmount
        long bytesReceived;
        @Label("Messages Sent")
        long messagesSent;
        @Label("Messages Received")
        long messagesReceived;
        @Label("Failure")
        @Description("Why the session failed; null for a clean end")
        String failure;
    }

    @Name("io.libchan.ProtocolError")
    @Label("libchan Protocol Error")
    @Category("libchan")
    @Description("A peer broke the protocol: a stream was reset or the session ended")
    @StackTrace(false)
    static final class ProtocolError extends Event {
        @Label("Transport")
        String transport;
        @Label("Peer")
        String peer;
        @Label("Error Type")
        String errorType;
        @Label("Scope")
        String scope;
        @Label("Message")
        String message;
    }

    @Name("io.libchan.MessageRefused")
    @Label("libchan Message Refused")
    @Category("libchan")
    @Description("A message from a peer was refused and its channel reset")
    @StackTrace(false)
    static final class MessageRefused extends Event {
        @Label("Transport")
        String transport;
        @Label("Peer")
        String peer;
        @Label("Reason")
        String reason;
        @Label("Message")
        String message;
    }
}
