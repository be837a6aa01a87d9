package dev.bp4j.spark;

import dev.bp4j.trainer.data.DataFormatException;
import dev.bp4j.trainer.data.DataRequest;
import dev.bp4j.trainer.data.DataSources;
import dev.bp4j.trainer.data.DataSplit;
import dev.bp4j.trainer.data.Dataset;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkEnv;
import scala.Tuple2;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Loads a run's data inside an executor and cuts out one partition's rows. The source is read
 * with bp4j's own readers, so the rows, the held-out test set and the fitted feature scaling are
 * exactly those {@code bp4j train} would use; a source on a non-local Hadoop file system is first
 * copied to a temporary folder on the executor. Each executor loads a source once and keeps it
 * while any replica of a run uses it ({@link #release}).
 *
 * <p>Partition p of P takes the rows i with i mod P = p, so a file sorted by class still gives
 * every partition every class. With more than one partition, each permutes its rows by a stream
 * drawn from the seed and p, so replicas that share the seed (and so the shuffle of each epoch)
 * still see different batches; a single partition keeps the file order and trains exactly as
 * {@code bp4j train} does.
 */
final class ExecutorData {

    private static final ConcurrentHashMap<DataPlan, DataSplit> LOADED = new ConcurrentHashMap<>();
    private static final List<String> NAMED = List.of(DataSources.DIGITS, DataSources.XOR, DataSources.FASHION_MNIST);

    private ExecutorData() {
    }

    /** The whole split, loaded on first use in this JVM. */
    static DataSplit whole(DataPlan plan) {
        return LOADED.computeIfAbsent(plan, ExecutorData::load);
    }

    static void release(DataPlan plan) {
        LOADED.remove(plan);
    }

    /** Partition {@code p}'s training and test rows, with the whole split's source and scaling. */
    static DataSplit partition(DataPlan plan, int p) {
        DataSplit all = whole(plan);
        Dataset train = rows(all.train(), p, plan.partitions(), plan.partitions() > 1 ? plan.seed() : null);
        Dataset test = rows(all.test(), p, plan.partitions(), null);
        return new DataSplit(all.source(), train, test, all.scaling(), all.classification());
    }

    /** Whether the source is one of the data sets bp4j knows by name (embedded or installed). */
    static boolean isNamed(String source) {
        return NAMED.contains(source);
    }

    /** Whether a source names a Hadoop file system other than the local one. */
    static boolean isRemote(String source) {
        if (isNamed(source)) {
            return false;
        }
        String scheme = schemeOf(source);
        return scheme != null && !scheme.equals("file");
    }

    private static String schemeOf(String source) {
        try {
            String scheme = new URI(source).getScheme();
            // A one-letter scheme is a Windows drive, not a file system.
            return scheme == null || scheme.length() == 1 ? null : scheme;
        } catch (java.net.URISyntaxException e) {
            return null;
        }
    }

    private static DataSplit load(DataPlan plan) {
        DataRequest request = plan.request();
        try {
            if (!isRemote(request.source())) {
                String local = "file".equals(schemeOf(request.source())) ? URI.create(request.source()).getPath() : request.source();
                return DataSources.load(new DataRequest(local, request.labelColumn(), request.testFraction(), request.seed(),
                        request.scaling()));
            }
            java.nio.file.Path folder = Files.createTempDirectory("bp4j-spark-data");
            try {
                Path remote = new Path(request.source());
                FileSystem fs = remote.getFileSystem(hadoopConfiguration());
                java.nio.file.Path copy = folder.resolve(remote.getName());
                fs.copyToLocalFile(false, remote, new Path(copy.toUri()), true);
                return DataSources.load(new DataRequest(copy.toString(), request.labelColumn(), request.testFraction(),
                        request.seed(), request.scaling()));
            } finally {
                deleteTree(folder);
            }
        } catch (DataFormatException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(request.source() + ": cannot copy to the executor: " + e.getMessage(), e);
        }
    }

    /** The executor's Hadoop settings: the defaults plus every {@code spark.hadoop.*} entry of the Spark configuration. */
    static Configuration hadoopConfiguration() {
        Configuration conf = new Configuration();
        SparkEnv env = SparkEnv.get();
        if (env != null) {
            for (Tuple2<String, String> entry : env.conf().getAllWithPrefix("spark.hadoop.")) {
                conf.set(entry._1(), entry._2());
            }
        }
        return conf;
    }

    /**
     * Rows i ≡ p (mod n) of {@code all}; permuted by a stream of (seed, p) when {@code seed} is
     * not null.
     */
    private static Dataset rows(Dataset all, int p, int n, Long seed) {
        int count = all.sampleCount() <= p ? 0 : (all.sampleCount() - p + n - 1) / n;
        int[] chosen = new int[count];
        for (int k = 0; k < count; k++) {
            chosen[k] = p + k * n;
        }
        if (seed != null) {
            SplittableRandom random = new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * (p + 1))).split();
            for (int i = count - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int swap = chosen[i];
                chosen[i] = chosen[j];
                chosen[j] = swap;
            }
        }
        int f = all.featureCount();
        int t = all.targetCount();
        float[] features = new float[count * f];
        float[] targets = new float[count * t];
        for (int k = 0; k < count; k++) {
            System.arraycopy(all.features(), chosen[k] * f, features, k * f, f);
            System.arraycopy(all.targets(), chosen[k] * t, targets, k * t, t);
        }
        return new Dataset(all.name() + " (partition " + p + " of " + n + ")", count, f, t, features, targets);
    }

    private static void deleteTree(java.nio.file.Path folder) throws IOException {
        try (Stream<java.nio.file.Path> walk = Files.walk(folder)) {
            for (java.nio.file.Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
