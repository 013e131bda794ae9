package io.libchan.internal.spdy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
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

    @Test
    void copyIsDefensive() {
        SpdyDictionary.copy()[0] = 42;

        assertEquals(0, SpdyDictionary.copy()[0]);
    }
}
