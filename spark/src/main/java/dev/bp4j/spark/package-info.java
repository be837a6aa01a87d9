/**
 * Data-parallel training on Apache Spark: replicas step on their own rows in the executors and
 * the driver combines their parameters and optimizer state every K steps.
 *
 * <p>No class here is {@code Serializable}. Spark moves task closures, partition results, the
 * partial sums and broadcasts with Java serialization, which would turn any bytes
 * into objects of whatever class they name; so what it carries is only {@code byte[]} in this
 * module's own versioned format ({@link dev.bp4j.spark.Wire}), which the records
 * ({@link dev.bp4j.spark.RunPlan}, {@link dev.bp4j.spark.DataPlan}, {@link dev.bp4j.spark.DataShape},
 * {@link dev.bp4j.spark.Replica}, {@link dev.bp4j.spark.ReplicaSum}, {@link dev.bp4j.spark.SyncPoint})
 * write and read field by field, checking every length. The one exception is
 * {@link dev.bp4j.spark.ExecutorFailure}: a failed task's exception, Serializable as every
 * Throwable is, which Spark hands to the driver so the job fails with its message. No class opens
 * an object stream ({@code InFlightSerializationTest} holds both). Models, checkpoints and data
 * are read and written with the trainer's own readers (safetensors, IDX, CSV);
 * {@link dev.bp4j.spark.DataPlan} carries the data's source, and each executor reads the rows
 * itself.
 */
package dev.bp4j.spark;
