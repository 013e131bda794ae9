package io.libchan.internal.spdy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class SpdyHeadersTest {

    @Test
    void ofKeepsOrderAndAnswersLookups() {
        SpdyHeaders h = SpdyHeaders.of("libchan-parent-ref", "2", "libchan-ref", "3");

        assertEquals(2, h.size());
        assertEquals("2", h.get("libchan-parent-ref"));
        assertEquals("3", h.get("libchan-ref"));
        assertNull(h.get("missing"));
        assertEquals(List.of(new SpdyHeaders.Header("libchan-parent-ref", "2"),
                new SpdyHeaders.Header("libchan-ref", "3")), h.asList());
    }

    @Test
    void builderLowercasesNamesAndLookupIsCaseInsensitive() {
        SpdyHeaders h = SpdyHeaders.builder().add("Libchan-Ref", "2").build();

        assertEquals("libchan-ref", h.asList().get(0).name());
        assertEquals("2", h.get("LIBCHAN-REF"));
    }

    @Test
    void repeatedNamesAreJoinedWithNul() {
        SpdyHeaders h = SpdyHeaders.builder().add("a", "1").add("b", "x").add("A", "2").build();

        assertEquals(2, h.size());
        assertEquals("1\u00002", h.get("a"));
        assertEquals(List.of("1", "2"), h.getAll("a"));
        assertEquals(List.of(), h.getAll("c"));
    }

    @Test
    void rejectsEmptyNamesNullsAndOddArguments() {
        assertThrows(IllegalArgumentException.class, () -> SpdyHeaders.of("", "v"));
        assertThrows(IllegalArgumentException.class, () -> SpdyHeaders.of("a", null));
        assertThrows(IllegalArgumentException.class, () -> SpdyHeaders.of("a"));
    }

    @Test
    void isImmutableAndComparesInOrder() {
        SpdyHeaders h = SpdyHeaders.of("a", "1", "b", "2");

        assertThrows(UnsupportedOperationException.class,
                () -> h.asList().add(new SpdyHeaders.Header("c", "3")));
        assertEquals(SpdyHeaders.of("a", "1", "b", "2"), h);
        assertEquals(SpdyHeaders.of("a", "1", "b", "2").hashCode(), h.hashCode());
        assertNotEquals(SpdyHeaders.of("b", "2", "a", "1"), h);
        assertTrue(SpdyHeaders.of().isEmpty());
        assertEquals(SpdyHeaders.EMPTY, SpdyHeaders.builder().build());
    }

    @Test
    void encodesTheBlockLayoutGoSends() {
        // the inflated block of the first SYN_STREAM in go-peer-wire.md §1 (test resources)
        byte[] expected = Hex.concat(Hex.bytes("00000001 0000000b"), "libchan-ref".getBytes(),
                Hex.bytes("00000001"), "2".getBytes());

        assertArrayEquals(expected, HeaderBlock.encode(SpdyHeaders.of("libchan-ref", "2")));
    }

    @Test
    void parsesWhatItEncodes() throws SpdyProtocolException {
        SpdyHeaders h = SpdyHeaders.builder().add(":status", "200").add("x", "")
                .add("multi", "a").add("multi", "b").add("utf", "h\u00e9").build();
        byte[] raw = HeaderBlock.encode(h);

        assertEquals(h, HeaderBlock.parse(raw, raw.length, 256));
    }

    @Test
    void parsingRejectsUppercaseName() {
        assertInvalid(block(1, "Libchan-Ref", "2"), "not lowercase");
    }

    @Test
    void parsingRejectsDuplicateName() {
        assertInvalid(block(2, "a", "1", "a", "2"), "duplicate");
    }

    @Test
    void parsingRejectsEmptyName() {
        assertInvalid(block(1, "", "v"), "empty header name");
    }

    @Test
    void parsingRejectsCountRunningPastTheBlock() {
        assertInvalid(block(2, "a", "1"), "runs past");
        assertInvalid(block(200, "a", "1"), "header count 200 runs past");
        assertInvalid(block(-1, "a", "1"), "too many headers: 4294967295");
        assertInvalid(Hex.bytes("00 00"), "runs past");
    }

    @Test
    void parsingRejectsLengthRunningPastTheBlock() {
        byte[] raw = block(1, "a", "1");
        raw[raw.length - 2] = 2; // value length 1 -> 2
        assertInvalid(raw, "runs past");
        assertInvalid(Hex.bytes("00000001 ffffffff 61"), "runs past");
    }

    @Test
    void parsingRejectsStrayBytesAfterTheLastHeader() {
        assertInvalid(Hex.concat(block(1, "a", "1"), new byte[] {0}), "stray");
    }

    @Test
    void parsingRejectsTooManyHeaders() {
        byte[] raw = block(3, "a", "1", "b", "2", "c", "3");
        SpdyProtocolException e = assertThrows(SpdyProtocolException.class,
                () -> HeaderBlock.parse(raw, raw.length, 2));
        assertTrue(e.getMessage().contains("too many"), e.getMessage());
    }

    /** A raw block with a given count field, and names/values written as given. */
    static byte[] block(int count, String... namesAndValues) {
        byte[] out = Hex.bytes(String.format("%08x", count));
        for (String s : namesAndValues) {
            out = Hex.concat(out, Hex.bytes(String.format("%08x", s.length())), s.getBytes());
        }
        return out;
    }

    private static void assertInvalid(byte[] raw, String messagePart) {
        SpdyProtocolException e = assertThrows(SpdyProtocolException.class,
                () -> HeaderBlock.parse(raw, raw.length, 256));
        assertFalse(e.isStreamError());
        assertEquals(SpdyStatus.GOAWAY_PROTOCOL_ERROR, e.goAwayStatus());
        assertTrue(e.getMessage().contains(messagePart), e.getMessage());
    }
}
