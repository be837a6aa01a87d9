package dev.bp4j.spark;

import dev.bp4j.trainer.data.DataRequest;

import java.io.Serial;
import java.io.Serializable;

/**
 * The data of a run as the executors load it: the request as {@code bp4j train} takes it (a
 * Hadoop URI such as {@code hdfs://…} is allowed as the source) and how many partitions share
 * the rows. {@link DataRequest} is not serializable, so its fields travel here.
 */
record DataPlan(String source, int labelColumn, double testFraction, long seed, String scaling, int partitions)
        implements Serializable {

    @Serial
    private static final long serialVersionUID = 1L;

    static DataPlan of(DataRequest request, int partitions) {
        return new DataPlan(request.source(), request.labelColumn(), request.testFraction(), request.seed(), request.scaling(),
                partitions);
    }

    DataRequest request() {
        return new DataRequest(source, labelColumn, testFraction, seed, scaling);
    }
}
