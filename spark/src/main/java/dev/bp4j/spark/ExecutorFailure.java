package dev.bp4j.spark;

import java.io.Serial;

/**
 * A task's failure as the driver reports it: one line that names the executor and the reason.
 * Spark hands the task's exception to the driver as the cause of the job's failure, where
 * {@link SparkTraining} finds it.
 */
public final class ExecutorFailure extends RuntimeException {

    @Serial
    private static final long serialVersionUID = 1L;

    public ExecutorFailure(String message) {
        super(message);
    }

    public ExecutorFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
