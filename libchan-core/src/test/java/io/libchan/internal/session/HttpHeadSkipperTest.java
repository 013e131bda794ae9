package io.libchan.internal.session;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The HTTP head node-spdy writes first on a pushed stream is dropped however the bytes are cut. */
class HttpHeadSkipperTest {
    private static final String HEAD = "HTTP/1.1 200 OK\r\nDate: Mon, 07 Dec 2026 10:05:28 GMT\r\nConnection: close\r\n\r\n";

    /** What a stream delivers of {@code text} given in pieces cut at {@code cuts}, with FIN after the last. */
    private static String delivered(String text, int... cuts) {
        byte[] all = text.getBytes(StandardCharsets.ISO_8859_1);
        HttpHeadSkipper skipper = new HttpHeadSkipper();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int dropped = 0;
        int from = 0;
        for (int i = 0; i <= cuts.length; i++) {
            int to = i < cuts.length ? cuts[i] : all.length;
            boolean fin = i == cuts.length;
            int skipped = 0;
            if (!skipper.done()) {
                skipped = skipper.feed(all, from, to - from);
                dropped += skipper.dropped();
                byte[] held = skipper.released();
                if (fin && !skipper.done()) {
                    held = skipper.finish();
                }
                if (held != null) {
                    out.writeBytes(held);
                }
            }
            out.write(all, from + skipped, to - from - skipped);
            from = to;
        }
        String got = out.toString(StandardCharsets.ISO_8859_1);
        assertEquals(all.length, got.length() + dropped, "every byte delivered or counted dropped, once");
        return got;
    }

    @Test
    void theHeadIsDroppedWhereverTheFramesCutIt() {
        String data = "\u0081\u00a1n\u0001 and HTTP/1.1 in the data stays";
        String text = HEAD + data;
        assertEquals(data, delivered(text));
        for (int cut = 1; cut < text.length(); cut++) {
            assertEquals(data, delivered(text, cut), "cut at " + cut);
            for (int second = cut + 1; second < text.length(); second += 7) {
                assertEquals(data, delivered(text, cut, second), "cut at " + cut + " and " + second);
            }
        }
    }

    @Test
    void dataThatDoesNotBeginWithTheHeadIsAllDelivered() {
        for (String text : new String[] {"\u0082\u00a3seq\u0001", "HTTP/1.0 200 OK\r\n\r\nx", "HTTP/1.1", "HTT", "H"}) {
            assertEquals(text, delivered(text));
            for (int cut = 1; cut < text.length(); cut++) {
                assertEquals(text, delivered(text, cut), "'" + text + "' cut at " + cut);
            }
        }
    }

    @Test
    void aHeadWithoutItsEndSwallowsTheStream() {
        assertEquals("", delivered("HTTP/1.1 200 OK\r\nDate: x\r\n", 12));
    }
}
