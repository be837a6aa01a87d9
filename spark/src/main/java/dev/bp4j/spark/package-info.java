/**
 * Data-parallel training on Apache Spark: replicas step on their own rows in the executors and
 * the driver combines their parameters and optimizer state every K steps.
 *
 * <p>Why some records here are {@code Serializable}: Spark moves task closures, broadcasts and
 * {@code treeAggregate} results between the driver and its executors with Java serialization,
 * over the cluster's own channel. Only those in-flight values ({@link dev.bp4j.spark.RunPlan},
 * {@link dev.bp4j.spark.DataPlan}, {@link dev.bp4j.spark.Replica}, {@link dev.bp4j.spark.ReplicaSum},
 * {@link dev.bp4j.spark.SyncPoint}, {@link dev.bp4j.spark.DataShape}, and {@link dev.bp4j.spark.ExecutorFailure}, a failed
 * task's exception) are; nothing read from a file is, and no class opens an object stream
 * ({@code InFlightSerializationTest} holds both to this list). Models, checkpoints and data are
 * read and written with the trainer's own readers (safetensors, IDX, CSV), which never
 * deserialize Java objects; {@link dev.bp4j.spark.DataPlan} carries the data's source, and each
 * executor reads the rows itself.
 */
package dev.bp4j.spark;
