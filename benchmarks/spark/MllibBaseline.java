import dev.bp4j.trainer.data.DataRequest;
import dev.bp4j.trainer.data.DataSources;
import dev.bp4j.trainer.data.DataSplit;
import dev.bp4j.trainer.data.Dataset;
import org.apache.spark.ml.classification.MultilayerPerceptronClassificationModel;
import org.apache.spark.ml.classification.MultilayerPerceptronClassifier;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The peer of benchmarks/spark-scaling.sh: Spark MLlib's MultilayerPerceptronClassifier on the
 * data bp4j trains on (bp4j's own loader, so the same rows and the same pixel scaling), with the
 * same layers, on the master given by spark.master. MLlib's hidden layers are sigmoid and its
 * output softmax; its solver makes one pass over the data per iteration (plus line-search
 * passes for l-bfgs), so maxIter stands for the epoch budget.
 *
 * Usage: java … MllibBaseline DATA LAYERS MAX_ITER SOLVER PARTITIONS  → one JSON line on stdout.
 */
public final class MllibBaseline {

    public static void main(String[] args) throws Exception {
        String source = args[0];
        int[] layers = java.util.Arrays.stream(args[1].split(",")).mapToInt(Integer::parseInt).toArray();
        int maxIter = Integer.parseInt(args[2]);
        String solver = args[3];
        int partitions = Integer.parseInt(args[4]);
        long start = System.nanoTime();
        SparkSession spark = SparkSession.builder().appName("mllib baseline").getOrCreate();
        double sessionSeconds = (System.nanoTime() - start) / 1e9;
        DataSplit split = DataSources.load(DataRequest.of(source));
        StructType schema = new StructType().add("label", DataTypes.DoubleType).add("features", SQLDataTypes.VectorType());
        var train = spark.createDataFrame(rows(split.train()), schema).repartition(partitions).cache();
        var test = spark.createDataFrame(rows(split.test()), schema).repartition(partitions).cache();
        long rowsCached = train.count() + test.count();
        MultilayerPerceptronClassifier mlp = new MultilayerPerceptronClassifier().setLayers(layers).setMaxIter(maxIter)
                .setSolver(solver).setSeed(1).setTol(0);
        long fitStart = System.nanoTime();
        MultilayerPerceptronClassificationModel model = mlp.fit(train);
        double fitSeconds = (System.nanoTime() - fitStart) / 1e9;
        double accuracy = new MulticlassClassificationEvaluator().setMetricName("accuracy").evaluate(model.transform(test));
        System.out.printf(Locale.ROOT, "{\"tool\": \"spark-mllib MultilayerPerceptronClassifier\", \"spark\": \"%s\", \"master\": \"%s\", "
                        + "\"layers\": \"%s\", \"solver\": \"%s\", \"max_iter\": %d, \"iterations_run\": %d, \"partitions\": %d, "
                        + "\"rows\": %d, \"session_seconds\": %.3f, \"fit_seconds\": %.3f, \"samples_per_second_per_iteration\": %.1f, "
                        + "\"test_accuracy\": %.4f}%n",
                spark.version(), spark.sparkContext().master(), args[1], solver, maxIter, model.summary().totalIterations(),
                partitions, rowsCached, sessionSeconds, fitSeconds, split.train().sampleCount() * (double) model.summary().totalIterations() / fitSeconds,
                accuracy);
        spark.stop();
    }

    private static List<Row> rows(Dataset data) {
        List<Row> rows = new ArrayList<>(data.sampleCount());
        int f = data.featureCount();
        int t = data.targetCount();
        for (int i = 0; i < data.sampleCount(); i++) {
            double[] x = new double[f];
            for (int j = 0; j < f; j++) {
                x[j] = data.features()[i * f + j];
            }
            int label = 0;
            for (int j = 1; j < t; j++) {
                if (data.targets()[i * t + j] > data.targets()[i * t + label]) {
                    label = j;
                }
            }
            rows.add(RowFactory.create((double) label, Vectors.dense(x)));
        }
        return rows;
    }
}
