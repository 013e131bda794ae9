package io.libchan.internal.session;

import io.libchan.internal.codec.LentEncoding;

/** An encoded message in an array of its own: nothing to give back (codecs that lend no buffer, large messages). */
final class OwnedEncoding implements LentEncoding {
    private final byte[] bytes;

    OwnedEncoding(byte[] bytes) {
        this.bytes = bytes;
    }

    @Override
    public byte[] array() {
        return bytes;
    }

    @Override
    public int length() {
        return bytes.length;
    }

    @Override
    public byte[] copy() {
        return bytes;
    }

    @Override
    public void giveBack() {
        // the array is garbage once written
    }
}
