package io.lfvit.schemas.serde;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.lfvit.schemas.avro.PixelBox;
import io.lfvit.schemas.avro.Region;
import io.lfvit.schemas.avro.TopKEntry;
import java.io.ByteArrayOutputStream;
import java.util.HexFormat;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

/** Byte-exact vectors, computed by hand from the Confluent framing and the Avro binary spec. */
class WireFormatTest {
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void headerIsMagicZeroThenBigEndianSchemaId() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ConfluentWireFormat.writeHeader(out, 0x01020304);
        assertEquals("0001020304", HEX.formatHex(out.toByteArray()));
        assertEquals(0x01020304, ConfluentWireFormat.schemaId(out.toByteArray(), "t"));
        assertEquals(0xfffffffe, ConfluentWireFormat.schemaId(HEX.parseHex("00fffffffe"), "t"));
    }

    @Test
    void topKEntryWithoutName() {
        TopKEntry entry = TopKEntry.newBuilder().setClassIndex(3).setClassName(null).setProbability(0.5f).build();
        // 00 | 00000101 (id 257) | 06: int 3 zig-zag | 00: union branch 0 (null) | 0000003f: float 0.5 little-endian
        assertVector(entry, 257, "00" + "00000101" + "06" + "00" + "0000003f");
    }

    @Test
    void topKEntryWithName() {
        TopKEntry entry = TopKEntry.newBuilder().setClassIndex(-2).setClassName("a").setProbability(1.0f).build();
        // 03: int -2 zig-zag | 02: union branch 1 (string) | 02 61: length 1, "a" | 0000803f: float 1.0
        assertVector(entry, 42, "00" + "0000002a" + "03" + "02" + "0261" + "0000803f");
    }

    @Test
    void regionWithMultiByteVarints() {
        Region region = Region.newBuilder().setRow(1).setCol(-1).setSize(5)
                .setPixelBox(PixelBox.newBuilder().setX(0).setY(2).setWidth(64).setHeight(300).build())
                .build();
        // row 1 -> 02, col -1 -> 01, size 5 -> 0a, union branch 1 -> 02,
        // x 0 -> 00, y 2 -> 04, width 64 -> zig-zag 128 -> 80 01, height 300 -> zig-zag 600 -> d8 04
        assertVector(region, 0x01020304, "00" + "01020304" + "02010a" + "02" + "0004" + "8001" + "d804");
    }

    @SuppressWarnings("unchecked")
    private static <T extends SpecificRecord> void assertVector(T record, int schemaId, String expectedHex) {
        ConfluentAvroSerde<T> serde = new ConfluentAvroSerde<>((Class<T>) record.getClass(),
                new FixedIdRegistry(schemaId, record.getSchema()));
        serde.configure(Map.of(), false);
        byte[] bytes = serde.serialize("topic", record);
        assertEquals(expectedHex, HEX.formatHex(bytes));
        assertEquals(record, serde.deserialize("topic", HEX.parseHex(expectedHex)));
        assertArrayEquals(bytes, serde.serialize("topic", serde.deserialize("topic", bytes)));
    }
}
