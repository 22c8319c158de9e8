package dev.lifeboat.common.retention;

import java.util.List;

/**
 * Every snapshot of one cluster in one region with its {@link Decision}, newest first.
 *
 * @param wouldDeleteAll the rules kept no complete snapshot, so the plan keeps them all instead
 *                       and the run raises POLICY_WOULD_DELETE_ALL
 */
public record RetentionPlan(List<Decision> decisions, boolean wouldDeleteAll) {

    public List<Decision> with(Action action) {
        return decisions.stream().filter(d -> d.action() == action).toList();
    }

    public List<Decision> kept() {
        return with(Action.KEEP);
    }

    public List<Decision> pruned() {
        return with(Action.PRUNE);
    }

    public List<Decision> leftovers() {
        return with(Action.REMOVE_LEFTOVER);
    }
}
