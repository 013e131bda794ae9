package io.libchan.undertow.internal.fallback;

/** A call refused before it reached the application: the HTTP status and the error reply's type and text. */
final class CallFailure extends Exception {
    final int status;
    final String type;

    CallFailure(int status, String type, String message) {
        super(message, null, false, false);
        this.status = status;
        this.type = type;
    }
}
