package io.libchan.internal.fallback;

import java.util.Locale;

/** What the HTTP adapters of the fallback read from a request's headers (PROTOCOL.md section 13.6.1). */
public final class HttpCalls {
    /** The media type of the event-stream answer. */
    public static final String EVENT_STREAM = "text/event-stream";
    /** The media type of a plain answer and of every refusal. */
    public static final String JSON = Problems.JSON;

    private HttpCalls() {
    }

    /** True for {@code application/json} and any {@code +json} type, parameters ignored. */
    public static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        String t = contentType.toLowerCase(Locale.ROOT);
        int semi = t.indexOf(';');
        t = (semi < 0 ? t : t.substring(0, semi)).trim();
        return t.equals("application/json") || t.endsWith("+json");
    }

    /** True when the client asks for the event-stream form. */
    public static boolean wantsEvents(String accept) {
        return accept != null && accept.toLowerCase(Locale.ROOT).contains(EVENT_STREAM);
    }
}
