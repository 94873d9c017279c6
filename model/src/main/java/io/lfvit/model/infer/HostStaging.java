package io.lfvit.model.infer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.function.Consumer;

/**
 * The host memory a batch's inputs are written into on their way to the model: one direct buffer per
 * classifier, kept from batch to batch.
 *
 * <p>Why not {@code manager.create(float[])}: DJL copies a Java array into a new direct buffer, which the
 * tensor then reads in place and which is freed only when the garbage collector gets to it. Per batch that is
 * megabytes of memory the process has never touched (the array on the heap, then the direct buffer), and each
 * first touch of a page is a page fault the kernel pays by zeroing it: `perf` on a bench row found the apps'
 * inference threads spending 6-7% of their time in page faults, against 2% for the same calls in a
 * long-running process. Here the bytes are written once into memory that stays mapped, in their compact form
 * (uint8 pixels, float16 tokens: a quarter and a half of float32, also what a GPU is sent), and the tensor
 * the network sees is a copy converted on the device, owned by PyTorch.
 *
 * <p>Thread-safe: an upload holds the buffer only until its copy exists.
 */
final class HostStaging {
    private ByteBuffer buffer = ByteBuffer.allocateDirect(0);

    /**
     * A new {@code target} tensor of {@code shape} from the {@code wire}-typed bytes {@code writer} puts into the
     * buffer (exactly {@code shape.size()} values, in the host's byte order).
     */
    synchronized NDArray upload(NDManager manager, Shape shape, DataType wire, DataType target,
            Consumer<ByteBuffer> writer) {
        int bytes = Math.toIntExact(shape.size() * wire.getNumOfBytes());
        if (buffer.capacity() < bytes) {
            // grown by half at least, so that batches slowly growing to batch.max do not reallocate each time
            buffer = ByteBuffer.allocateDirect(Math.max(bytes, buffer.capacity() + buffer.capacity() / 2))
                    .order(ByteOrder.nativeOrder());
        }
        buffer.clear().limit(bytes);
        writer.accept(buffer);
        if (buffer.hasRemaining()) {
            throw new IllegalStateException("staged " + buffer.position() + " of the " + bytes + " bytes of " + shape);
        }
        buffer.flip();
        // The view reads the buffer in place; the copy does not, so the buffer is free once it exists. A
        // conversion to the same type would not copy (PyTorch's to() returns the tensor itself), hence duplicate().
        try (NDArray view = manager.create(buffer, shape, wire)) {
            return wire == target ? view.duplicate() : view.toType(target, false);
        }
    }
}
