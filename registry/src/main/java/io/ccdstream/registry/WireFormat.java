package io.ccdstream.registry;

import java.nio.ByteBuffer;
import org.apache.kafka.common.errors.SerializationException;

/**
 * Confluent's framing of a serialized record: magic byte 0, the schema id as a 4-byte
 * big-endian int, then the Avro binary encoding.
 */
final class WireFormat {

    static final byte MAGIC_BYTE = 0;
    static final int HEADER_SIZE = 5;

    private WireFormat() {}

    static byte[] header(int schemaId) {
        return ByteBuffer.allocate(HEADER_SIZE).put(MAGIC_BYTE).putInt(schemaId).array();
    }

    /**
     * @return the schema id in front of a payload
     * @throws SerializationException when the payload is not in the wire format
     */
    static int schemaId(byte[] payload, String topic, boolean isKey) {
        String part = isKey ? "key" : "value";
        if (payload.length < HEADER_SIZE) {
            throw new SerializationException(String.format(
                    "Payload of %d bytes in %s from topic %s is too short for Confluent Avro wire format"
                            + " (magic byte and 4-byte schema id expected)",
                    payload.length, part, topic));
        }
        if (payload[0] != MAGIC_BYTE) {
            throw new SerializationException(String.format(
                    "Unknown magic byte 0x%02x at start of %s from topic %s: not Confluent Avro wire format",
                    payload[0] & 0xff, part, topic));
        }
        return ByteBuffer.wrap(payload, 1, 4).getInt();
    }
}
