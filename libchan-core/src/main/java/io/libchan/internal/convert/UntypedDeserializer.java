package io.libchan.internal.convert;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The untyped form of a message: maps keep their order as {@code LinkedHashMap<String,Object>},
 * integers become {@code Long} (or {@code BigInteger} past 2^63-1), decimals {@code Double},
 * and embedded values (channels, streams, time) are resolved through the {@link ReferenceReader}.
 * Replaces Jackson's own untyped deserializer because that one does not let a codec resolve
 * embedded values; it is recursive, so callers bound the nesting depth before decoding.
 */
final class UntypedDeserializer extends StdDeserializer<Object> {
    UntypedDeserializer() {
        super(Object.class);
    }

    @Override
    public Object deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
        JsonToken t = p.currentToken();
        switch (t) {
            case START_OBJECT:
            case FIELD_NAME:
                return readMap(p, ctxt);
            case START_ARRAY:
                List<Object> list = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    list.add(deserialize(p, ctxt));
                }
                return list;
            case VALUE_STRING:
                return p.getText();
            case VALUE_NUMBER_INT:
                switch (p.getNumberType()) {
                    case BIG_INTEGER:
                        return p.getBigIntegerValue();
                    default:
                        return p.getLongValue();
                }
            case VALUE_NUMBER_FLOAT:
                return p.getDoubleValue();
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            case VALUE_NULL:
                return null;
            case VALUE_EMBEDDED_OBJECT:
                return LibchanModule.resolveEmbedded(p.getEmbeddedObject(), ctxt);
            default:
                return ctxt.handleUnexpectedToken(Object.class, p);
        }
    }

    private Map<String, Object> readMap(JsonParser p, DeserializationContext ctxt) throws IOException {
        Map<String, Object> map = new LinkedHashMap<>();
        String key = p.currentToken() == JsonToken.FIELD_NAME ? p.currentName() : p.nextFieldName();
        while (key != null) {
            p.nextToken();
            map.put(key, deserialize(p, ctxt));
            key = p.nextFieldName();
        }
        return map;
    }

    @Override
    public Object getEmptyValue(DeserializationContext ctxt) {
        return null;
    }
}
