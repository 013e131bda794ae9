package io.libchan.internal.observe;

/**
 * Commits the JFR events of a session, if the JVM has JFR ({@code jdk.jfr} may be left out of a
 * jlinked runtime) and a recording wants them: otherwise each call is a branch on a constant. A
 * failure to record never reaches the session.
 */
final class LibchanEvents {
    private static final boolean JFR = ModuleLayer.boot().findModule("jdk.jfr").isPresent();

    private LibchanEvents() {
    }

    static void sessionOpened(SessionObservation s) {
        if (JFR) {
            try {
                JfrEvents.sessionOpened(s);
            } catch (RuntimeException | LinkageError e) {
                System.getLogger(LibchanEvents.class.getName()).log(System.Logger.Level.DEBUG, "JFR event not recorded", e);
            }
        }
    }

    static void sessionClosed(SessionObservation s, Throwable failure) {
        if (JFR) {
            try {
                JfrEvents.sessionClosed(s, failure);
            } catch (RuntimeException | LinkageError e) {
                System.getLogger(LibchanEvents.class.getName()).log(System.Logger.Level.DEBUG, "JFR event not recorded", e);
            }
        }
    }

    static void protocolError(SessionObservation s, String type, String scope, String message) {
        if (JFR) {
            try {
                JfrEvents.protocolError(s, type, scope, message);
            } catch (RuntimeException | LinkageError e) {
                System.getLogger(LibchanEvents.class.getName()).log(System.Logger.Level.DEBUG, "JFR event not recorded", e);
            }
        }
    }

    static void messageRefused(SessionObservation s, String reason, String message) {
        if (JFR) {
            try {
                JfrEvents.messageRefused(s, reason, message);
            } catch (RuntimeException | LinkageError e) {
                System.getLogger(LibchanEvents.class.getName()).log(System.Logger.Level.DEBUG, "JFR event not recorded", e);
            }
        }
    }
}
