package dev.lifeboat.retention.api;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import io.smallrye.common.annotation.Blocking;

import dev.lifeboat.kit.api.PathIds;
import dev.lifeboat.kit.api.Problem;
import dev.lifeboat.kit.security.LifeboatRoles;
import dev.lifeboat.retention.config.RetentionConfig;
import dev.lifeboat.retention.pruning.RetentionRunner;
import dev.lifeboat.store.Regions;

/** {@code GET /api/v1/clusters/{clusterId}/retention?region=…}: the plan, so it can be read before deletion is enabled. */
@Path("/api/v1/clusters/{clusterId}/retention")
@Blocking
@RolesAllowed(LifeboatRoles.VIEWER)
public class RetentionResource {
    private final RetentionRunner runner;
    private final Regions regions;
    private final RetentionConfig config;

    public RetentionResource(RetentionRunner runner, Regions regions, RetentionConfig config) {
        this.runner = runner;
        this.regions = regions;
        this.config = config;
    }

    /** @param region defaults to the primary region */
    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public RetentionReport plan(@PathParam("clusterId") String clusterId, @QueryParam("region") String region) {
        PathIds.clusterId(clusterId);
        String target = PathIds.region(region, regions);
        return runner.plan(clusterId, target)
                .map(plan -> RetentionReport.of(plan, config.dryRun()))
                .orElseThrow(() -> Problem.notFound("cluster " + clusterId
                        + " is not registered and has no snapshots in any region"));
    }
}
