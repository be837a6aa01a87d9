/**
 * Data-parallel training on Apache Spark: replicas step on their own rows in the executors and
 * the driver combines their parameters and optimizer state every K steps.
 *
 * <p>Why some records here are {@code Serializable}: Spark moves task closures, broadcasts and
 * {@code treeAggregate} results between the driver and its executors with Java serialization,
 * over the cluster's own channel. Only those in-flight values ({@link dev.bp4j.spark.RunPlan},
 * {@link dev.bp4j.spark.DataPlan}, {@link dev.bp4j.spark.Replica}, {@link dev.bp4j.spark.ReplicaSum},
 * {@link dev.bp4j.spark.SyncPoint}, {@link dev.bp4j.spark.DataShape}) are; nothing read from a file is. Models, checkpoints and
 * data are read and written with the trainer's own readers (safetensors, IDX, CSV), which never
 * deserialize Java objects.
 */
package dev.bp4j.spark;
