package dev.lifeboat.retention.api;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.smallrye.common.annotation.Blocking;

import dev.lifeboat.retention.config.RetentionConfig;
import dev.lifeboat.retention.service.RetentionRunner;
import dev.lifeboat.store.Regions;
import dev.lifeboat.store.SnapshotIds;
import dev.lifeboat.store.StoreException;

/** {@code GET /api/v1/clusters/{clusterId}/retention?region=…}: the plan, so it can be read before deletion is enabled. */
@Path("/api/v1/clusters/{clusterId}/retention")
@Blocking
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
    @Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
    public Response plan(@PathParam("clusterId") String clusterId, @QueryParam("region") String region) {
        if (!SnapshotIds.isValidClusterId(clusterId)) {
            return Problem.response(Response.Status.BAD_REQUEST, "invalid cluster id: must be a DNS-1123 label "
                    + "(lowercase letters, digits and '-', at most 63 characters)");
        }
        String target = region == null || region.isBlank() ? regions.primaryName() : region;
        if (!regions.has(target)) {
            return Problem.response(Response.Status.BAD_REQUEST, "unknown region; configured regions: "
                    + regions.names());
        }
        try {
            return runner.plan(clusterId, target)
                    .map(plan -> Response.ok(RetentionReport.of(plan, config.dryRun())).build())
                    .orElseGet(() -> Problem.response(Response.Status.NOT_FOUND, "cluster " + clusterId
                            + " is not registered and has no snapshots in any region"));
        } catch (StoreException e) {
            return Problem.response(Response.Status.SERVICE_UNAVAILABLE, e.getMessage());
        }
    }
}
