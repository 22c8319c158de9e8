package dev.lifeboat.kit.ownership;

/**
 * A CDI event fired (synchronously, on the ownership thread) when this replica gains clusters or
 * gives them up; observers follow the rules of {@link OwnershipListener}.
 *
 * @param partitions the partitions gained or released
 * @param gained     true: gained; false: being released
 * @param lost       released because Kafka already gave them away (nothing to wait for)
 */
public record OwnershipChange(OwnedPartitions partitions, boolean gained, boolean lost) {
    /** True when the change concerns this cluster. */
    public boolean covers(String clusterId) {
        return partitions.covers(clusterId);
    }
}
