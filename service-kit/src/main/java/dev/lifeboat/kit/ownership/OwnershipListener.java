package dev.lifeboat.kit.ownership;

/**
 * Told when this replica gains or gives up clusters. Both calls run on the ownership thread:
 * {@link #gained} must hand long work to another thread; {@link #releasing} may block to finish
 * work on the clusters it gives up, since the next owner starts only after it returns (bounded by
 * {@code lifeboat.ownership.release-timeout}).
 */
public interface OwnershipListener {
    /** These clusters are ours from now on; {@code ClusterOwnership.owns} already says so. */
    default void gained(OwnedPartitions gained) {}

    /**
     * These clusters stop being ours; {@code owns} already says so. {@code lost} = Kafka has
     * already given them to another replica (this one missed its session), so nothing is waited for.
     */
    default void releasing(OwnedPartitions released, boolean lost) {}
}
