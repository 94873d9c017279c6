package io.lfvit.model.infer;

/**
 * A class decision.
 *
 * @param classIndex predicted class
 * @param confidence its softmax probability
 * @param probabilities all class probabilities
 */
public record Prediction(int classIndex, float confidence, float[] probabilities) {

    static Prediction of(float[] probabilities) {
        int best = 0;
        for (int i = 1; i < probabilities.length; i++) {
            if (probabilities[i] > probabilities[best]) {
                best = i;
            }
        }
        return new Prediction(best, probabilities[best], probabilities);
    }

    /** The k most probable classes, most probable first. */
    public int[] topK(int k) {
        return java.util.stream.IntStream.range(0, probabilities.length).boxed()
                .sorted((a, b) -> Float.compare(probabilities[b], probabilities[a]))
                .limit(k).mapToInt(Integer::intValue).toArray();
    }
}
