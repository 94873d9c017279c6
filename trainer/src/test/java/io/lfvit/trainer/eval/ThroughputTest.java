package io.lfvit.trainer.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lfvit.model.infer.ImageClassifier;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** images/s of a stand-in model whose cost is known: 20 ms per batch, whatever the batch holds. */
class ThroughputTest {

    @Test
    void imagesPerSecondIsImagesOverTheTimeOfTheBestPass() {
        AtomicInteger calls = new AtomicInteger();
        List<Integer> batchSizes = new ArrayList<>();
        ImageClassifier twentyMsPerBatch = (ImageClassifier) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {ImageClassifier.class}, (proxy, method, args) -> {
                    if (!method.getName().equals("classify")) {
                        throw new UnsupportedOperationException(method.getName());
                    }
                    calls.incrementAndGet();
                    batchSizes.add(((List<?>) args[0]).size());
                    Thread.sleep(20);
                    return List.of();
                });
        List<List<byte[]>> batches = List.of(List.of(new byte[1], new byte[1], new byte[1], new byte[1]),
                List.of(new byte[1], new byte[1], new byte[1], new byte[1]));

        double perSecond = new Throughput(batches, 1, 3).imagesPerSecond(twentyMsPerBatch, 0.8);

        assertEquals(1 + 3 * 2, calls.get(), "one warm-up batch, then 3 passes over both batches");
        assertTrue(batchSizes.stream().allMatch(n -> n == 4), batchSizes.toString());
        // 8 images per pass of at least 40 ms: at most 200 images/s; a pass rarely takes twice that.
        assertTrue(perSecond <= 200.0 && perSecond > 100.0, "8 images in 2 x 20 ms: " + perSecond + " images/s");
    }
}
