package io.libchan.internal.spdy;

/** Argument checks shared by the frame records, so each states its constraints in one line. */
final class FrameChecks {
    private FrameChecks() {
    }

    static void streamId(String field, int id) {
        if (id < 0) {
            throw new IllegalArgumentException(field + " must be in 0..2^31-1: " + id);
        }
    }

    static <T> T notNull(String field, T value) {
        if (value == null) {
            throw new IllegalArgumentException(field + " is null");
        }
        return value;
    }
}
