package io.lfvit.model.infer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteOrder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HostStagingTest {
    private final HostStaging staging = new HostStaging();
    private NDManager manager;

    @BeforeEach
    void setUp() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    private NDArray pixels(byte... values) {
        return staging.upload(manager, new Shape(values.length), DataType.UINT8, DataType.FLOAT32, b -> b.put(values));
    }

    @Test
    void uint8BecomesFloatWithTheSameValues() {
        NDArray t = pixels((byte) 0, (byte) 1, (byte) 127, (byte) 128, (byte) 255);
        assertEquals(DataType.FLOAT32, t.getDataType());
        assertArrayEquals(new float[] {0, 1, 127, 128, 255}, t.toFloatArray());
    }

    @Test
    void aTensorKeepsItsValuesWhenTheBufferIsReused() {
        // the buffer is shared by every upload: a tensor still reading it would change under the next batch
        NDArray first = pixels((byte) 1, (byte) 2, (byte) 3);
        NDArray second = pixels((byte) 9, (byte) 9, (byte) 9);
        NDArray larger = pixels(new byte[4096]); // grows the buffer: a new allocation
        assertArrayEquals(new float[] {1, 2, 3}, first.toFloatArray());
        assertArrayEquals(new float[] {9, 9, 9}, second.toFloatArray());
        assertEquals(4096, larger.size());
    }

    @Test
    void aTensorOfTheWireTypeIsACopyToo() {
        NDArray first = staging.upload(manager, new Shape(2), DataType.FLOAT32, DataType.FLOAT32,
                b -> b.putFloat(1.5f).putFloat(-3f));
        staging.upload(manager, new Shape(2), DataType.FLOAT32, DataType.FLOAT32, b -> b.putFloat(7f).putFloat(7f));
        assertArrayEquals(new float[] {1.5f, -3f}, first.toFloatArray());
    }

    @Test
    void float16TokensInTheHostsByteOrder() {
        NDArray reference = manager.create(new float[] {0.5f, -2f, 1024f, 0.099975586f}, new Shape(2, 2));
        byte[] wire = Float16.encode(reference);
        NDArray t = staging.upload(manager, new Shape(2, 2), DataType.FLOAT16, DataType.FLOAT32, b -> b.put(wire));
        assertEquals(ByteOrder.LITTLE_ENDIAN, ByteOrder.nativeOrder(), "the wire form is the host's order");
        assertArrayEquals(reference.toFloatArray(), t.toFloatArray());
        assertEquals(new Shape(2, 2), t.getShape());
    }

    @Test
    void aWriterThatWritesTooLittleFails() {
        assertThrows(IllegalStateException.class, () -> staging.upload(manager, new Shape(4), DataType.UINT8,
                DataType.FLOAT32, b -> b.put(new byte[3])));
        assertThrows(java.nio.BufferOverflowException.class, () -> staging.upload(manager, new Shape(2), DataType.UINT8,
                DataType.FLOAT32, b -> b.put(new byte[3])));
    }
}
