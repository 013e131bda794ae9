package io.libchan.internal.spdy;

import java.util.List;

/**
 * SETTINGS: connection parameters. Go libchan ignores them; decoded so they can be ignored
 * knowingly. The entry list is copied and unmodifiable.
 *
 * @param clearSettings drop previously persisted settings
 * @param settings      the entries in wire order
 */
public record SettingsFrame(boolean clearSettings, List<Setting> settings) implements SpdyFrame {

    /**
     * @throws IllegalArgumentException if the list is null
     * @throws NullPointerException     if an entry is null
     */
    public SettingsFrame {
        settings = List.copyOf(FrameChecks.notNull("settings", settings));
    }

    /** Always 0: SETTINGS belongs to the connection. */
    @Override
    public int streamId() {
        return 0;
    }

    /**
     * One setting.
     *
     * @param id    24-bit setting id (e.g. 4 = MAX_CONCURRENT_STREAMS, 7 = INITIAL_WINDOW_SIZE)
     * @param flags 8-bit flags (1 = PERSIST_VALUE, 2 = PERSISTED)
     * @param value the unsigned 32-bit value, kept as the raw int
     */
    public record Setting(int id, int flags, int value) {
        /** @throws IllegalArgumentException if id or flags do not fit their fields */
        public Setting {
            if (id < 0 || id > 0xFF_FFFF) {
                throw new IllegalArgumentException("setting id must be in 0..2^24-1: " + id);
            }
            if (flags < 0 || flags > 0xFF) {
                throw new IllegalArgumentException("setting flags must be in 0..255: " + flags);
            }
        }
    }
}
