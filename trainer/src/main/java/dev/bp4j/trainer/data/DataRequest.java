package dev.bp4j.trainer.data;

/**
 * What the user asked to train or evaluate on.
 *
 * @param source       {@code digits} (embedded), {@code xor}, {@code fashion-mnist}, a folder of
 *                     four MNIST-style IDX files, or a CSV file
 * @param labelColumn  for CSV: the 0-based column holding the label; −1 means the last column
 * @param testFraction the share of samples held out when a source has no test part of its own
 * @param seed         seeds the train/test split, so eval reproduces the split train used
 * @param scaling      {@code auto} (the source's natural scaling, e.g. pixels / 255), {@code none},
 *                     {@code minmax} or {@code standard}, fitted on the training set
 */
public record DataRequest(String source, int labelColumn, double testFraction, long seed, String scaling) {

    public static DataRequest of(String source) {
        return new DataRequest(source, -1, 0.2, 1, "auto");
    }
}
