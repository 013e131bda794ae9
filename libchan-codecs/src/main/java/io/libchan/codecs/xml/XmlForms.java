package io.libchan.codecs.xml;

/**
 * The elements of an XML message (PROTOCOL.md section 15.3): every value is one element that says
 * its type, so a message reads back exactly as it was written, typed or untyped.
 * <pre>
 *   &lt;map&gt;&lt;e k="cmd"&gt;VALUE&lt;/e&gt;...&lt;/map&gt;   a map (record, POJO); k64="base64" for a key XML cannot carry
 *   &lt;list&gt;VALUE...&lt;/list&gt;                 a list
 *   &lt;s&gt;text&lt;/s&gt;  &lt;s64&gt;base64&lt;/s64&gt;     a string (s64: UTF-8 bytes of one XML cannot carry)
 *   &lt;i&gt;-12&lt;/i&gt;  &lt;f&gt;1.5&lt;/f&gt;  &lt;b&gt;true&lt;/b&gt;  &lt;null/&gt;
 *   &lt;bin&gt;base64&lt;/bin&gt;  &lt;time&gt;2023-11-14T22:13:20.123456789Z&lt;/time&gt;
 *   &lt;sender id="3"/&gt;  &lt;receiver id="3"/&gt;  &lt;stream id="3" mode="read|write"/&gt;  &lt;fd id="3"/&gt;
 * </pre>
 */
final class XmlForms {
    static final String MAP = "map";
    static final String ENTRY = "e";
    static final String KEY = "k";
    static final String KEY64 = "k64";
    static final String LIST = "list";
    static final String STRING = "s";
    static final String STRING64 = "s64";
    static final String INT = "i";
    static final String FLOAT = "f";
    static final String BOOL = "b";
    static final String NULL = "null";
    static final String BIN = "bin";
    static final String TIME = "time";
    static final String SENDER = "sender";
    static final String RECEIVER = "receiver";
    static final String STREAM = "stream";
    static final String FD = "fd";
    static final String ID = "id";
    static final String MODE = "mode";

    private XmlForms() {
    }

    /**
     * True when XML carries {@code text} unchanged in element content ({@code attribute}: in an
     * attribute value): no character XML 1.0 forbids, no lone surrogate, no carriage return (parsers
     * turn it into a newline), and in attributes no tab or newline (parsers turn them into spaces).
     */
    static boolean carries(String text, boolean attribute) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= 0x20 && c < 0xd800 || c >= 0xe000 && c <= 0xfffd) {
                continue;
            }
            if ((c == '\t' || c == '\n') && !attribute) {
                continue;
            }
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
                continue;
            }
            return false;
        }
        return true;
    }
}
