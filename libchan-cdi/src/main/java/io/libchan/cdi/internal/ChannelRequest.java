package io.libchan.cdi.internal;

import java.lang.reflect.Type;
import java.util.Optional;

/**
 * One {@code @Channel} injection point seen while the container scanned the application.
 *
 * @param name the channel name in the qualifier
 * @param kind what is injected, or empty for a type this module cannot inject
 * @param type the injection point's type, for messages
 * @param where the injection point, for messages ({@code Class.field} or {@code Class.method(#n)})
 */
record ChannelRequest(String name, Optional<ChannelKind> kind, Type type, String where) {
}
