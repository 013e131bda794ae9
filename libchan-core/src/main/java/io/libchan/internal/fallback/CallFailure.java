package io.libchan.internal.fallback;

/**
 * A call refused before it reached the application: the HTTP status and the error reply's type and
 * text (PROTOCOL.md section 13.6.4). The factories name the refusals every HTTP adapter shares.
 */
public final class CallFailure extends Exception {
    private final int status;
    private final String type;

    public CallFailure(int status, String type, String message) {
        super(message, null, false, false);
        this.status = status;
        this.type = type;
    }

    /** 405: not a POST (the adapter adds {@code Allow: POST}). */
    public static CallFailure methodNotAllowed() {
        return new CallFailure(405, "method-not-allowed", "a libchan call is a POST of a JSON object");
    }

    /** 415: the body is not JSON. */
    public static CallFailure unsupportedMediaType() {
        return new CallFailure(415, "unsupported-media-type", "a libchan call takes Content-Type: application/json");
    }

    /** 413: the body is over {@code maxBytes}. */
    public static CallFailure tooLarge(long maxBytes) {
        return new CallFailure(413, "too-large", "the message is over the limit of " + maxBytes + " bytes");
    }

    /** 503: nobody takes the call now. */
    public static CallFailure unavailable(String why) {
        return new CallFailure(503, "unavailable", why);
    }

    public int status() {
        return status;
    }

    public String type() {
        return type;
    }

    /** The response body: the error reply as JSON and a newline. */
    public byte[] body() {
        return Problems.body(type, getMessage());
    }
}
