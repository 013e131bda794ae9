package io.libchan.internal.spdy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.Adler32;
import org.junit.jupiter.api.Test;

class SpdyDictionaryTest {

    @Test
    void dictionaryHasTheSpecifiedLengthAndAdler32() {
        byte[] dictionary = SpdyDictionary.copy();
        Adler32 adler = new Adler32();
        adler.update(dictionary);

        assertEquals(1423, dictionary.length);
        assertEquals(0xe3c6a7c2L, adler.getValue());
        assertEquals(SpdyDictionary.ADLER32, (int) adler.getValue());
    }

    @Test
    void dictionaryStartsWithLengthPrefixedOptionsAndEndsWithTheResponseFragments() {
        byte[] dictionary = SpdyDictionary.copy();

        assertArrayEquals(Hex.bytes("00 00 00 07 6f 70 74 69 6f 6e 73 00 00 00 04 68"),
                Arrays.copyOf(dictionary, 16));
        assertEquals(",*,enq=0.", new String(dictionary, dictionary.length - 9, 9,
                StandardCharsets.US_ASCII));
    }

    /** PROTOCOL.md section 3 gives the dictionary as words and a tail: they must make these very bytes. */
    @Test
    void protocolMdSpellsOutTheSameBytes() throws IOException {
        String doc = Files.readString(Path.of("..", "PROTOCOL.md"), StandardCharsets.UTF_8);
        ByteArrayOutputStream fromDoc = new ByteArrayOutputStream();
        for (String word : String.join("", fenced(doc, "spdy-dictionary-words")).split(",")) {
            byte[] b = word.getBytes(StandardCharsets.US_ASCII);
            fromDoc.writeBytes(new byte[] {0, 0, 0, (byte) b.length});
            fromDoc.writeBytes(b);
        }
        fromDoc.writeBytes(String.join("", fenced(doc, "spdy-dictionary-tail")).getBytes(StandardCharsets.US_ASCII));

        assertEquals(Hex.hex(SpdyDictionary.copy()), Hex.hex(fromDoc.toByteArray()));
    }

    /** The lines of the code block fenced with {@code ```info} in {@code doc}. */
    private static List<String> fenced(String doc, String info) {
        List<String> lines = doc.lines().toList();
        int start = lines.indexOf("```" + info);
        assertTrue(start >= 0, "no ```" + info + " block in PROTOCOL.md");
        return lines.subList(start + 1, lines.subList(start + 1, lines.size()).indexOf("```") + start + 1);
    }

    @Test
    void copyIsDefensive() {
        SpdyDictionary.copy()[0] = 42;

        assertEquals(0, SpdyDictionary.copy()[0]);
    }
}
